package com.mtlsgateway.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template.yaml of this repository, read with {@link CfnYaml}, and the lookups the tests need. */
final class CfnTemplate {

  private final JsonNode root;

  private CfnTemplate(JsonNode root) {
    this.root = root;
  }

  /** The repository root, set by integration-tests/pom.xml. */
  static Path projectRoot() {
    String root = System.getProperty("project.root");
    if (root == null) {
      throw new IllegalStateException("system property project.root is not set: run the tests through Maven "
          + "(integration-tests/pom.xml sets it to the repository root)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  static CfnTemplate load() throws IOException {
    Path file = projectRoot().resolve("template.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " not found");
    }
    return new CfnTemplate(CfnYaml.load(file));
  }

  JsonNode root() {
    return root;
  }

  JsonNode parameter(String name) {
    return require(root.path("Parameters").path(name), "parameter " + name);
  }

  JsonNode resource(String logicalId) {
    return require(root.path("Resources").path(logicalId), "resource " + logicalId);
  }

  JsonNode properties(String logicalId) {
    return resource(logicalId).path("Properties");
  }

  String type(String logicalId) {
    return resource(logicalId).path("Type").asText();
  }

  /** Logical id to resource, for every resource of the given type (in template order). */
  Map<String, JsonNode> resourcesOfType(String type) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> resource : root.path("Resources").properties()) {
      if (resource.getValue().path("Type").asText().equals(type)) {
        found.put(resource.getKey(), resource.getValue());
      }
    }
    return found;
  }

  /** Logical ids of the custom resources (Custom::* and AWS::CloudFormation::CustomResource). */
  List<String> customResources() {
    List<String> found = new ArrayList<>();
    root.path("Resources").properties().forEach(resource -> {
      String type = resource.getValue().path("Type").asText();
      if (type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource")) {
        found.add(resource.getKey());
      }
    });
    return found;
  }

  /** The DependsOn of a resource as a list (CloudFormation accepts a string or a list). */
  List<String> dependsOn(String logicalId) {
    JsonNode dependsOn = resource(logicalId).path("DependsOn");
    List<String> names = new ArrayList<>();
    if (dependsOn.isTextual()) {
      names.add(dependsOn.asText());
    } else {
      dependsOn.forEach(name -> names.add(name.asText()));
    }
    return names;
  }

  /**
   * Every statement of every policy document anywhere in the template (IAM and resource policies); for a conditional
   * statement, each of its branches.
   */
  List<JsonNode> policyStatements() {
    List<JsonNode> statements = new ArrayList<>();
    collectStatements(root, statements);
    return statements;
  }

  private static void collectStatements(JsonNode node, List<JsonNode> statements) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("Statement")) {
          if (field.getValue().isArray()) {
            field.getValue().forEach(statement -> addStatement(statement, statements));
          } else {
            addStatement(field.getValue(), statements);
          }
        } else {
          collectStatements(field.getValue(), statements);
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectStatements(element, statements));
    }
  }

  /** A statement, or both branches of a conditional one ({@code Fn::If}), leaving out {@code AWS::NoValue}. */
  private static void addStatement(JsonNode statement, List<JsonNode> statements) {
    JsonNode conditional = statement.path("Fn::If");
    if (statement.size() == 1 && conditional.isArray()) {
      for (int branch = 1; branch <= 2; branch++) {
        JsonNode chosen = conditional.get(branch);
        if (!chosen.path("Ref").asText().equals("AWS::NoValue")) {
          addStatement(chosen, statements);
        }
      }
    } else {
      statements.add(statement);
    }
  }

  /** A {@code Ref} or {@code Fn::GetAtt [id, attribute]} target's logical id, or null for anything else. */
  static String referencedId(JsonNode node) {
    if (node.has("Ref")) {
      return node.get("Ref").asText();
    }
    if (node.has("Fn::GetAtt")) {
      return node.get("Fn::GetAtt").get(0).asText();
    }
    return null;
  }

  /** Every text value inside a node, including the pieces of intrinsic functions. */
  static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    if (node.isTextual()) {
      texts.add(node.asText());
    } else {
      node.forEach(child -> texts.addAll(texts(child)));
    }
    return texts;
  }

  private static JsonNode require(JsonNode node, String what) {
    if (node.isMissingNode()) {
      throw new AssertionError("template.yaml has no " + what);
    }
    return node;
  }
}
