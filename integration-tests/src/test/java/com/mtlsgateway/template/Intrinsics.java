package com.mtlsgateway.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions a template uses, for given parameter, pseudo-parameter and attribute values, so
 * that a test can check a derived value such as an IAM ARN, an integration URI or which resources a set of parameters
 * creates:
 * <ul>
 *   <li>strings and lists: Ref, Fn::GetAtt, Fn::Sub, Fn::Split, Fn::Select, Fn::Join, Fn::FindInMap;
 *   <li>conditions: Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition (the template's Conditions section,
 *       with {@link #forTemplate}); {@code Ref AWS::NoValue} removes the list item or object field it is;
 *   <li>rule functions (the Rules section): Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, and Fn::ValueOf
 *       [P, A], which gives the value given for "P.A".
 * </ul>
 * Anything else fails the test. An object that is not a single function is evaluated field by field.
 */
final class Intrinsics {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  /** What Ref AWS::NoValue gives; compared by identity. */
  private static final JsonNode NO_VALUE = NODES.textNode("AWS::NoValue");

  private final Map<String, JsonNode> values = new HashMap<>();
  private final JsonNode mappings;
  private final JsonNode conditions;
  private final Map<String, Boolean> evaluatedConditions = new HashMap<>();

  /**
   * @param values what {@code Ref Name} and {@code Fn::GetAtt [Res, Attr]} (key "Res.Attr") give: a String, or a
   *     List of Strings (a list parameter)
   * @param mappings the template's Mappings section (may be missing)
   */
  Intrinsics(Map<String, ?> values, JsonNode mappings) {
    this(values, mappings, MissingNode.getInstance());
  }

  private Intrinsics(Map<String, ?> values, JsonNode mappings, JsonNode conditions) {
    values.forEach((name, value) -> this.values.put(name, node(name, value)));
    this.mappings = mappings;
    this.conditions = conditions;
  }

  /** With the template's Mappings and Conditions. */
  static Intrinsics forTemplate(JsonNode template, Map<String, ?> values) {
    return new Intrinsics(values, template.path("Mappings"), template.path("Conditions"));
  }

  String string(JsonNode node) {
    JsonNode result = evaluate(node);
    if (result == NO_VALUE || !result.isValueNode()) {
      throw new IllegalArgumentException("not a string: " + result);
    }
    return result.asText();
  }

  boolean bool(JsonNode node) {
    JsonNode result = evaluate(node);
    if (!result.isBoolean()) {
      throw new IllegalArgumentException("not a condition: " + node);
    }
    return result.booleanValue();
  }

  /** The value of a condition of the template's Conditions section. */
  boolean condition(String name) {
    Boolean known = evaluatedConditions.get(name);
    if (known != null) {
      return known;
    }
    JsonNode definition = conditions.path(name);
    if (definition.isMissingNode()) {
      throw new IllegalArgumentException("no condition " + name);
    }
    boolean value = bool(definition);
    evaluatedConditions.put(name, value);
    return value;
  }

  /** True for what {@code Ref AWS::NoValue} evaluates to. */
  static boolean isNoValue(JsonNode node) {
    return node == NO_VALUE;
  }

  JsonNode evaluate(JsonNode node) {
    if (node.isArray()) {
      ArrayNode result = NODES.arrayNode();
      node.forEach(element -> {
        JsonNode value = evaluate(element);
        if (value != NO_VALUE) {
          result.add(value);
        }
      });
      return result;
    }
    if (!node.isObject() || node.isEmpty()) {
      return node;
    }
    Map.Entry<String, JsonNode> first = node.properties().iterator().next();
    if (node.size() != 1 || !isFunction(first.getKey())) {
      ObjectNode result = NODES.objectNode();
      node.properties().forEach(field -> {
        JsonNode value = evaluate(field.getValue());
        if (value != NO_VALUE) {
          result.set(field.getKey(), value);
        }
      });
      return result;
    }
    JsonNode argument = first.getValue();
    return switch (first.getKey()) {
      case "Ref" -> argument.asText().equals("AWS::NoValue") ? NO_VALUE : value(argument.asText());
      case "Fn::GetAtt" -> value(argument.get(0).asText() + "." + argument.get(1).asText());
      case "Fn::Sub" -> NODES.textNode(sub(argument));
      case "Fn::Split" -> split(string(argument.get(0)), string(argument.get(1)));
      case "Fn::Select" -> select(Integer.parseInt(string(argument.get(0))), evaluate(argument.get(1)));
      case "Fn::Join" -> NODES.textNode(join(string(argument.get(0)), evaluate(argument.get(1))));
      case "Fn::FindInMap" -> findInMap(argument);
      case "Fn::If" -> evaluate(condition(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
      case "Condition" -> NODES.booleanNode(condition(argument.asText()));
      case "Fn::Equals" -> NODES.booleanNode(evaluate(argument.get(0)).equals(evaluate(argument.get(1))));
      case "Fn::Not" -> NODES.booleanNode(!bool(argument.get(0)));
      case "Fn::And" -> NODES.booleanNode(all(argument, true));
      case "Fn::Or" -> NODES.booleanNode(!all(argument, false));
      case "Fn::Contains" -> NODES.booleanNode(list(argument.get(0)).contains(string(argument.get(1))));
      case "Fn::EachMemberEquals" -> {
        String expected = string(argument.get(1));
        yield NODES.booleanNode(list(argument.get(0)).stream().allMatch(expected::equals));
      }
      case "Fn::EachMemberIn" -> NODES.booleanNode(list(argument.get(1)).containsAll(list(argument.get(0))));
      case "Fn::ValueOf" -> value(argument.get(0).asText() + "." + argument.get(1).asText());
      default -> throw new IllegalArgumentException("cannot evaluate " + node);
    };
  }

  private static boolean isFunction(String key) {
    return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
  }

  /** Fn::And (expected true: all true) or, negated, Fn::Or (expected false: all false). */
  private boolean all(JsonNode conditionsToCheck, boolean expected) {
    for (JsonNode condition : conditionsToCheck) {
      if (bool(condition) != expected) {
        return false;
      }
    }
    return true;
  }

  private List<String> list(JsonNode node) {
    JsonNode result = evaluate(node);
    if (!result.isArray()) {
      throw new IllegalArgumentException("not a list: " + node);
    }
    List<String> items = new ArrayList<>();
    result.forEach(item -> items.add(item.asText()));
    return items;
  }

  private JsonNode value(String name) {
    JsonNode value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no value given for " + name);
    }
    return value;
  }

  private static JsonNode node(String name, Object value) {
    if (value instanceof String text) {
      return NODES.textNode(text);
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(item.toString()));
      return array;
    }
    throw new IllegalArgumentException(name + ": a String or a List, not " + value);
  }

  private String sub(JsonNode argument) {
    String template = argument.isArray() ? argument.get(0).asText() : argument.asText();
    Map<String, String> variables = new HashMap<>();
    if (argument.isArray()) {
      for (Map.Entry<String, JsonNode> variable : argument.get(1).properties()) {
        variables.put(variable.getKey(), string(variable.getValue()));
      }
    }
    Matcher matcher = SUB_VARIABLE.matcher(template);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement = name.startsWith("!") ? "${" + name.substring(1) + "}"
          : variables.containsKey(name) ? variables.get(name) : string(value(name));
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(result).toString();
  }

  private static ArrayNode split(String delimiter, String source) {
    ArrayNode parts = NODES.arrayNode();
    int start = 0;
    for (int at = source.indexOf(delimiter); at >= 0; at = source.indexOf(delimiter, start)) {
      parts.add(source.substring(start, at));
      start = at + delimiter.length();
    }
    return parts.add(source.substring(start));
  }

  private static JsonNode select(int index, JsonNode list) {
    if (!list.isArray() || index < 0 || index >= list.size()) {
      throw new IllegalArgumentException("Fn::Select index " + index + " out of " + list);
    }
    return list.get(index);
  }

  private static String join(String delimiter, JsonNode list) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < list.size(); i++) {
      result.append(i == 0 ? "" : delimiter).append(list.get(i).asText());
    }
    return result.toString();
  }

  private JsonNode findInMap(JsonNode argument) {
    JsonNode value = mappings.path(string(argument.get(0))).path(string(argument.get(1))).path(string(argument.get(2)));
    if (value.isMissingNode()) {
      throw new IllegalArgumentException("Fn::FindInMap finds nothing for " + argument);
    }
    return value;
  }
}
