package com.mtlsgateway.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions a template uses to compute strings (Ref, Fn::GetAtt, Fn::Sub,
 * Fn::Split, Fn::Select, Fn::Join, Fn::FindInMap) for given parameter and attribute values, so
 * that a test can check a derived value such as an IAM ARN. Anything else fails the test.
 */
final class Intrinsics {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private final Map<String, String> values;
  private final JsonNode mappings;

  /**
   * @param values what {@code Ref Name} and {@code Fn::GetAtt [Res, Attr]} (key "Res.Attr") give
   * @param mappings the template's Mappings section (may be missing)
   */
  Intrinsics(Map<String, String> values, JsonNode mappings) {
    this.values = Map.copyOf(values);
    this.mappings = mappings;
  }

  String string(JsonNode node) {
    JsonNode result = evaluate(node);
    if (!result.isValueNode()) {
      throw new IllegalArgumentException("not a string: " + result);
    }
    return result.asText();
  }

  JsonNode evaluate(JsonNode node) {
    if (node.isArray()) {
      ArrayNode result = NODES.arrayNode();
      node.forEach(element -> result.add(evaluate(element)));
      return result;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() != 1) {
      throw new IllegalArgumentException("not a single intrinsic function: " + node);
    }
    Map.Entry<String, JsonNode> function = node.properties().iterator().next();
    JsonNode argument = function.getValue();
    return switch (function.getKey()) {
      case "Ref" -> NODES.textNode(value(argument.asText()));
      case "Fn::GetAtt" -> NODES.textNode(value(argument.get(0).asText() + "." + argument.get(1).asText()));
      case "Fn::Sub" -> NODES.textNode(sub(argument));
      case "Fn::Split" -> split(string(argument.get(0)), string(argument.get(1)));
      case "Fn::Select" -> select(Integer.parseInt(string(argument.get(0))), evaluate(argument.get(1)));
      case "Fn::Join" -> NODES.textNode(join(string(argument.get(0)), evaluate(argument.get(1))));
      case "Fn::FindInMap" -> findInMap(argument);
      default -> throw new IllegalArgumentException("cannot evaluate " + node);
    };
  }

  private String value(String name) {
    return Objects.requireNonNull(values.get(name), () -> "no value given for " + name);
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
          : variables.containsKey(name) ? variables.get(name) : value(name);
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
