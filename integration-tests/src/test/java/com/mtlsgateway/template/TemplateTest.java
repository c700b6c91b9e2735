package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What template.yaml must keep true for safety and correctness (read with its short-form tags). */
class TemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HANDLER = "com.mtlsgateway.truststore.TruststoreHandler::handleRequest";
  private static final String STAGING_BUCKET = "mtls-truststorebucket-1a2b3c";
  private static final String LOG_GROUP_ARN =
      "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-truststore:*";

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  @Test
  void isASamApplicationOnJava21() {
    JsonNode globals = template.root().path("Globals").path("Function");
    assertThat(template.root().path("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
    assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
    assertThat(globals.path("Architectures")).hasSize(1);
    assertThat(globals.path("Architectures").get(0).asText()).isIn("arm64", "x86_64");
    assertThat(globals.path("MemorySize").asInt()).as("MemorySize (Java cold start)").isGreaterThanOrEqualTo(512);
    template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) ->
        assertThat(function.path("Properties").path("Runtime").asText("java21")).as(id).isEqualTo("java21"));
  }

  @Test
  void thePackagesNativeCryptoProviderIsBuiltForTheFunctionsArchitecture() throws IOException {
    // The ACCP jar carries one platform's native library; on another architecture it would not load and every
    // signature would fall back to the JDK's slower providers.
    String architecture = template.root().path("Globals").path("Function").path("Architectures").get(0).asText();
    template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) ->
        assertThat(function.path("Properties").has("Architectures")).as(id + " has its own Architectures").isFalse());
    String pom = Files.readString(CfnTemplate.projectRoot().resolve("functions/pom.xml"));
    Matcher classifier = Pattern.compile("<accp\\.classifier>([^<]+)</accp\\.classifier>").matcher(pom);
    assertThat(classifier.find()).as("functions/pom.xml sets accp.classifier").isTrue();
    assertThat(classifier.group(1)).as("accp.classifier in functions/pom.xml for Architectures " + architecture)
        .isEqualTo(architecture.equals("arm64") ? "linux-aarch_64" : "linux-x86_64");
  }

  @Test
  void handlerIsTheTruststoreHandlerInTheStandaloneFunctionsProject() throws IOException {
    JsonNode function = template.properties("TruststoreFunction");
    assertThat(function.path("Handler").asText()).isEqualTo(HANDLER);
    assertThat(function.path("CodeUri").asText()).isEqualTo("functions");
    // `sam build` copies CodeUri away and builds it alone: it must not have a parent POM.
    Path pom = CfnTemplate.projectRoot().resolve("functions/pom.xml");
    assertThat(pom).isRegularFile();
    String withoutComments = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
    assertThat(withoutComments).as("functions/pom.xml").doesNotContain("<parent>");
  }

  /** What the Lambda Java runtime needs of a Handler string: a public class with a public no-arg constructor. */
  @Test
  void handlerClassIsAStreamHandlerTheLambdaRuntimeCanConstruct() throws Exception {
    String className = HANDLER.substring(0, HANDLER.indexOf("::"));
    String methodName = HANDLER.substring(HANDLER.indexOf("::") + 2);
    ClassLoader loader = TemplateTest.class.getClassLoader();
    Class<?> handler = Class.forName(className, false, loader); // no static initialisation: no AWS calls
    Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
    assertThat(streamHandler).isAssignableFrom(handler);
    assertThat(Modifier.isPublic(handler.getModifiers()) && !Modifier.isAbstract(handler.getModifiers())).isTrue();
    assertThat(Modifier.isPublic(handler.getConstructor().getModifiers())).isTrue();
    assertThat(handler.getMethods()).anyMatch(method -> method.getName().equals(methodName));
  }

  /** Every function: in the standalone functions project, with a handler class the Lambda runtime can construct. */
  @Test
  void everyFunctionIsAStreamHandlerOfTheFunctionsProject() throws Exception {
    Map<String, JsonNode> functions = template.resourcesOfType("AWS::Serverless::Function");
    assertThat(functions).containsKeys("TruststoreFunction", "DemoBackendFunction", "CertificateFunction",
        "DefaultEndpointFunction", "DomainStatusFunction", "RevocationListFunction", "RevocationRefreshFunction",
        "RevocationAuthorizerFunction");
    ClassLoader loader = TemplateTest.class.getClassLoader();
    Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
    for (Map.Entry<String, JsonNode> function : functions.entrySet()) {
      JsonNode properties = function.getValue().path("Properties");
      assertThat(properties.path("CodeUri").asText()).as(function.getKey()).isEqualTo("functions");
      String handlerName = properties.path("Handler").asText();
      assertThat(handlerName).as(function.getKey()).matches("[a-z.]+\\.[A-Z][A-Za-z]+::handleRequest");
      Class<?> handler = Class.forName(handlerName.substring(0, handlerName.indexOf("::")), false, loader);
      assertThat(streamHandler).as(handlerName).isAssignableFrom(handler);
      assertThat(Modifier.isPublic(handler.getModifiers()) && !Modifier.isAbstract(handler.getModifiers())).isTrue();
      assertThat(Modifier.isPublic(handler.getConstructor().getModifiers())).as(handlerName).isTrue();
    }
  }

  @Test
  void domainIsRegionalWithTls12() {
    assertThat(template.type("Domain")).isEqualTo("AWS::ApiGateway::DomainName");
    JsonNode domain = template.properties("Domain");
    assertThat(domain.path("EndpointConfiguration").path("Types")).isEqualTo(json("[\"REGIONAL\"]"));
    assertThat(domain.path("SecurityPolicy").asText()).isEqualTo("TLS_1_2");
    assertThat(domain.path("RegionalCertificateArn")).isEqualTo(json("""
        {"Fn::If": ["ImportCertificate",
                    {"Fn::GetAtt": ["ImportedCertificate", "CertificateArn"]}, {"Ref": "CertificateArn"}]}"""));
    assertThat(domain.has("CertificateArn")).as("edge-only CertificateArn").isFalse();
    assertThat(domain.path("DomainName")).isEqualTo(json("{\"Ref\": \"DomainName\"}"));
  }

  /** CertificateArn as given, or (CertificateArn empty, CertificateUri given) the certificate the stack imported. */
  @Test
  void theDomainServesCertificateArnOrTheImportedCertificate() {
    JsonNode output = template.root().path("Outputs").path("ServerCertificateArn").path("Value");
    Scenario given = Scenario.of(template);
    assertThat(given.property("Domain", "RegionalCertificateArn").asText()).isEqualTo(Scenario.CERTIFICATE);
    assertThat(given.property("Domain", "OwnershipVerificationCertificateArn").isMissingNode()).isTrue();
    assertThat(given.intrinsics().string(output)).isEqualTo(Scenario.CERTIFICATE);

    Scenario imported = Scenario.of(template).importing();
    assertThat(imported.property("Domain", "RegionalCertificateArn").asText())
        .isEqualTo(Scenario.IMPORTED_CERTIFICATE);
    assertThat(imported.property("Domain", "OwnershipVerificationCertificateArn").asText())
        .isEqualTo(Scenario.OWNERSHIP_CERTIFICATE);
    assertThat(imported.intrinsics().string(output)).isEqualTo(Scenario.IMPORTED_CERTIFICATE);
  }

  /**
   * The import's function, role, log group and custom resource exist exactly when CertificateArn is empty (compared
   * with a given certificate that has an ownership certificate too, as an import always has).
   */
  @Test
  void theImportResourcesExistOnlyWhenImporting() {
    Set<String> importing = Set.of("CertificateLogGroup", "CertificateFunctionRole", "CertificateFunction",
        "ImportedCertificate");
    importing.forEach(id -> assertThat(template.resource(id).path("Condition").asText()).as("%s Condition", id)
        .isEqualTo("ImportCertificate"));
    assertThat(template.root().path("Conditions").path("ImportCertificate"))
        .isEqualTo(json("{\"Fn::Equals\": [{\"Ref\": \"CertificateArn\"}, \"\"]}"));
    Set<String> given = Scenario.of(template)
        .with("OwnershipVerificationCertificateArn", Scenario.OWNERSHIP_CERTIFICATE).resources();
    Set<String> imported = Scenario.of(template).importing().resources();
    assertThat(given).doesNotContainAnyElementsOf(importing);
    Set<String> added = new TreeSet<>(imported);
    added.removeAll(given);
    assertThat(added).isEqualTo(new TreeSet<>(importing));
    assertThat(given).isSubsetOf(imported);

    assertThat(template.type("ImportedCertificate")).isEqualTo("Custom::ImportedCertificate");
    JsonNode function = template.properties("CertificateFunction");
    assertThat(function.path("Handler").asText())
        .isEqualTo("com.mtlsgateway.certificate.ImportedCertificateHandler::handleRequest");
    assertThat(function.path("Role")).isEqualTo(json("{\"Fn::GetAtt\": [\"CertificateFunctionRole\", \"Arn\"]}"));
    // Delete retries a certificate still "in use" for most of this: long, and within Lambda's 900 s.
    assertThat(timeout(function)).isBetween(300, 900);
  }

  /**
   * The custom resource gets each source only when given (the handler refuses two sources of one thing), the domain's
   * name to check the certificate against, and a tag naming the stack.
   */
  @ParameterizedTest
  @CsvSource({
      "'', secret, 'CertificateUri, PrivateKeySecretArn'",
      "s3://my-pki/chain.pem, secret, 'CertificateUri, ChainUri, PrivateKeySecretArn'",
      "s3://my-pki/chain.pem?versionId=v2, s3, 'CertificateUri, ChainUri, PrivateKeyUri'",
      "'', s3, 'CertificateUri, PrivateKeyUri'",
  })
  void theImportGetsExactlyTheGivenSources(String chainUri, String keySource, String sources) {
    Scenario scenario = Scenario.of(template).importing().with("CertificateChainUri", chainUri);
    if (keySource.equals("s3")) {
      scenario.with("PrivateKeySecretArn", "").with("PrivateKeyUri", "s3://my-keys/server.key");
    }
    assertThat(scenario.failedRules()).isEmpty();
    JsonNode properties = scenario.intrinsics().evaluate(template.properties("ImportedCertificate"));
    Set<String> names = new TreeSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    Set<String> expected = new TreeSet<>(List.of("ServiceToken", "ServiceTimeout", "DomainName", "Tags"));
    expected.addAll(List.of(sources.split(", ")));
    assertThat(names).isEqualTo(expected);
    assertThat(properties.path("CertificateUri").asText()).isEqualTo(Scenario.CERTIFICATE_URI);
    assertThat(properties.path("ChainUri").asText(null)).isEqualTo(chainUri.isEmpty() ? null : chainUri);
    assertThat(properties.path("PrivateKeySecretArn").asText(null))
        .isEqualTo(keySource.equals("secret") ? Scenario.PRIVATE_KEY_SECRET : null);
    assertThat(properties.path("PrivateKeyUri").asText(null))
        .isEqualTo(keySource.equals("s3") ? "s3://my-keys/server.key" : null);
    assertThat(properties.path("DomainName").asText()).isEqualTo(Scenario.DOMAIN);
    assertThat(properties.path("Tags")).isEqualTo(json("[{\"Key\": \"mtls-gateway:stack\", \"Value\": \"mtls\"}]"));
    assertThat(template.properties("ImportedCertificate").path("ServiceToken"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"CertificateFunction\", \"Arn\"]}"));
  }

  @Test
  void mutualTlsTakesTheStagedTruststoreFromTheCustomResource() {
    assertThat(template.type("Truststore")).isEqualTo("Custom::Truststore");
    JsonNode mtls = template.properties("Domain").path("MutualTlsAuthentication");
    assertThat(mtls.path("TruststoreUri")).isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreUri\"]}"));
    assertThat(mtls.path("TruststoreVersion"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreVersion\"]}"));
  }

  @Test
  void ownershipVerificationCertificateIsSetOnlyWhenGiven() {
    assertThat(template.properties("Domain").path("OwnershipVerificationCertificateArn")).isEqualTo(json("""
        {"Fn::If": ["HasOwnershipVerificationCertificate",
                    {"Ref": "OwnershipVerificationCertificateArn"}, {"Ref": "AWS::NoValue"}]}"""));
    assertThat(template.root().path("Conditions").path("HasOwnershipVerificationCertificate")).isEqualTo(json("""
        {"Fn::Not": [{"Fn::Equals": [{"Ref": "OwnershipVerificationCertificateArn"}, ""]}]}"""));
    assertThat(template.parameter("OwnershipVerificationCertificateArn").path("Default").asText("missing")).isEmpty();
  }

  @Test
  void truststoreResourceGetsExactlyTheHandlersProperties() {
    JsonNode properties = template.properties("Truststore");
    Set<String> names = new TreeSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder(
        "ServiceToken", "ServiceTimeout", "SourceUri", "StagingBucket", "StagingKey", "AcceptWarnings");
    assertThat(properties.path("ServiceToken"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"TruststoreFunction\", \"Arn\"]}"));
    assertThat(properties.path("SourceUri")).isEqualTo(json("{\"Ref\": \"TruststoreSourceUri\"}"));
    assertThat(properties.path("StagingBucket")).isEqualTo(json("{\"Ref\": \"TruststoreBucket\"}"));
    assertThat(properties.path("AcceptWarnings")).isEqualTo(json("{\"Ref\": \"AcceptTruststoreWarnings\"}"));
    JsonNode acceptWarnings = template.parameter("AcceptTruststoreWarnings");
    assertThat(acceptWarnings.path("AllowedValues")).isEqualTo(json("[\"true\", \"false\"]"));
    assertThat(acceptWarnings.path("Default").asText()).isEqualTo("false");
  }

  /**
   * CloudFormation waits ServiceTimeout for an answer that never comes, then sends Delete: the
   * function, its role (with its permissions) and its log group must still exist to answer it.
   */
  @Test
  void everyCustomResourceHasAServiceTimeoutAndOutlivesNothingItNeeds() {
    assertThat(template.customResources())
        .containsExactlyInAnyOrder("Truststore", "ImportedCertificate", "DefaultEndpoint", "DomainStatus",
            "RevocationList", "ApiGatewayAccountRole");
    for (String id : template.customResources()) {
      JsonNode properties = template.properties(id);
      String functionId = CfnTemplate.referencedId(properties.path("ServiceToken"));
      assertThat(functionId).as("%s ServiceToken names a function of this template", id).isNotNull();
      JsonNode function = template.properties(functionId);

      JsonNode serviceTimeout = properties.path("ServiceTimeout");
      assertThat(serviceTimeout.isMissingNode()).as("%s has a ServiceTimeout", id).isFalse();
      assertThat(serviceTimeout.asInt()).as("%s ServiceTimeout", id).isBetween(1, 3600)
          .isGreaterThan(timeout(function));

      String roleId = CfnTemplate.referencedId(function.path("Role"));
      String logGroupId = CfnTemplate.referencedId(function.path("LoggingConfig").path("LogGroup"));
      assertThat(roleId).as("%s has an explicit Role of this template", functionId).isNotNull();
      assertThat(logGroupId).as("%s logs to a LogGroup of this template", functionId).isNotNull();
      assertThat(template.dependsOn(id)).as("%s DependsOn", id).contains(roleId, logGroupId);
      assertThat(template.resource(roleId).path("Properties").has("Policies"))
          .as("%s permissions are inline, so DependsOn the role keeps them", roleId).isTrue();
    }
    assertThat(template.dependsOn("Truststore")).contains("TruststoreBucketPolicy");
    assertThat(template.dependsOn("RevocationList")).contains("TruststoreBucketPolicy");
  }

  @Test
  void customResourceFunctionsAreNotInAVpc() {
    assertThat(template.root().path("Globals").path("Function").has("VpcConfig")).isFalse();
    for (String id : template.customResources()) {
      String functionId = CfnTemplate.referencedId(template.properties(id).path("ServiceToken"));
      assertThat(template.properties(functionId).has("VpcConfig")).as(functionId).isFalse();
    }
  }

  @Test
  void everyFunctionLogsToItsOwnGroupWithRetention() {
    assertThat(template.resourcesOfType("AWS::Serverless::Function")).isNotEmpty();
    template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) -> {
      JsonNode logGroupRef = function.path("Properties").path("LoggingConfig").path("LogGroup");
      String logGroupId = CfnTemplate.referencedId(logGroupRef);
      assertThat(logGroupRef.has("Ref")).as("%s LoggingConfig.LogGroup is a Ref", id).isTrue();
      assertThat(template.type(logGroupId)).isEqualTo("AWS::Logs::LogGroup");
      assertThat(template.properties(logGroupId).path("RetentionInDays"))
          .isEqualTo(json("{\"Ref\": \"LogRetentionInDays\"}"));
    });
    JsonNode retention = template.parameter("LogRetentionInDays");
    assertThat(retention.path("AllowedValues")).contains(retention.path("Default"));
  }

  @Test
  void truststoreBucketIsVersionedEncryptedPrivateAndRetained() {
    JsonNode bucket = template.resource("TruststoreBucket");
    assertThat(bucket.path("Type").asText()).isEqualTo("AWS::S3::Bucket");
    assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(bucket.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
    JsonNode properties = bucket.path("Properties");
    assertThat(properties.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
    assertThat(properties.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
        .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isIn("AES256", "aws:kms");
    assertThat(properties.path("PublicAccessBlockConfiguration")).isEqualTo(json("""
        {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}
        """));
    assertThat(properties.path("OwnershipControls").path("Rules")).isEqualTo(json("""
        [{"ObjectOwnership": "BucketOwnerEnforced"}]"""));
  }

  @Test
  void truststoreBucketRefusesInsecureTransport() {
    JsonNode policy = template.properties("TruststoreBucketPolicy");
    assertThat(policy.path("Bucket")).isEqualTo(json("{\"Ref\": \"TruststoreBucket\"}"));
    List<JsonNode> tlsOnly = new ArrayList<>();
    for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
      if (statement.path("Effect").asText().equals("Deny")
          && statement.path("Principal").asText().equals("*")
          && CfnTemplate.texts(statement.path("Action")).contains("s3:*")
          && statement.path("Condition").path("Bool").path("aws:SecureTransport").asText().equals("false")) {
        tlsOnly.add(statement);
      }
    }
    assertThat(tlsOnly).as("a Deny s3:* for aws:SecureTransport false").hasSize(1);
    assertThat(tlsOnly.get(0).path("Resource")).containsExactlyInAnyOrder(
        json("{\"Fn::GetAtt\": [\"TruststoreBucket\", \"Arn\"]}"),
        json("{\"Fn::Join\": [\"\", [{\"Fn::GetAtt\": [\"TruststoreBucket\", \"Arn\"]}, \"/*\"]]}"));
  }

  /**
   * A Deny may be broad (it only takes access away); an Allow never is, except where AWS requires a '*' in a resource:
   * those statements are listed here with the exact resource they evaluate to, and the template says why in a comment
   * right above them ("AWS requires '*'").
   */
  @Test
  void noWildcardOutsideTheCommentedExceptions() throws IOException {
    Map<String, String> exceptions = Map.of(
        // The Region's API Gateway logging role serves every API of the account there (template comment).
        "PushToCloudWatchLogsInThisRegion", "arn:aws:logs:eu-west-1:111122223333:log-group:*",
        // ImportCertificate of a new certificate names no ARN: ACM chooses the id; a tag condition marks it as this
        // stack's, and keeps re-import, tagging and deletion to those (template comments).
        "ImportCertificateTaggedWithThisStack", "arn:aws:acm:eu-west-1:111122223333:certificate/*",
        "ManageCertificatesOfThisStack", "arn:aws:acm:eu-west-1:111122223333:certificate/*",
        // Reads the tags of certificates not its own to find its own (template comment).
        "ReadCertificateTags", "arn:aws:acm:eu-west-1:111122223333:certificate/*",
        // acm:ListCertificates supports no resource-level permissions (template comment).
        "ListCertificates", "*",
        // cloudwatch:PutMetricData has no resource ARN; a cloudwatch:namespace condition limits it (template comments).
        "PublishExpiryMetric", "*",
        "PublishRevocationMetric", "*");
    List<String> lines = Files.readAllLines(CfnTemplate.projectRoot().resolve("template.yaml"));
    Intrinsics intrinsics = Scenario.of(template).intrinsics();
    Set<String> used = new TreeSet<>();

    List<JsonNode> statements = template.policyStatements();
    assertThat(statements).isNotEmpty();
    for (JsonNode statement : statements) {
      if (statement.path("Effect").asText().equals("Deny")) {
        continue;
      }
      assertThat(statement.has("NotAction") || statement.has("NotResource") || statement.has("NotPrincipal"))
          .as("Not* in %s", statement).isFalse();
      assertThat(CfnTemplate.texts(statement.path("Action"))).as("Action of %s", statement)
          .isNotEmpty().noneMatch(action -> action.contains("*"));
      assertThat(CfnTemplate.texts(statement.path("Principal"))).as("Principal of %s", statement)
          .noneMatch(principal -> principal.equals("*"));
      if (CfnTemplate.texts(statement.path("Resource")).stream().anyMatch(resource -> resource.contains("*"))) {
        String sid = statement.path("Sid").asText();
        assertThat(exceptions).as("'*' in the Resource of %s", statement).containsKey(sid);
        assertThat(intrinsics.string(statement.path("Resource"))).isEqualTo(exceptions.get(sid));
        assertCommentAbove(lines, "- Sid: " + sid, "AWS requires '*'");
        used.add(sid);
      }
    }
    assertThat(used).as("every exception is still needed").isEqualTo(exceptions.keySet());

    // Resource policies made by AWS::Lambda::Permission: the demo function's invoke permission names its target
    // group before the group exists, so the id AWS appends to its ARN is a '*' (NetworkTemplateTest checks the rest).
    template.resourcesOfType("AWS::Lambda::Permission").forEach((id, permission) -> {
      JsonNode properties = permission.path("Properties");
      assertThat(properties.path("Principal").asText()).as(id).doesNotContain("*");
      assertThat(properties.path("Action").asText()).as(id).isEqualTo("lambda:InvokeFunction");
      if (CfnTemplate.texts(properties.path("SourceArn")).stream().anyMatch(text -> text.contains("*"))) {
        assertThat(id).isEqualTo("DemoBackendInvokePermission");
        assertThat(CfnTemplate.texts(properties.path("SourceArn")).get(0)).endsWith(":targetgroup/${Name}/*");
        assertCommentAbove(lines, id + ":", "AWS requires '*'");
      }
    });
  }

  /** Roles carry only their inline policies (kept alive by a DependsOn on the role), never managed ones. */
  @Test
  void rolesHaveNoManagedPolicies() {
    assertThat(template.resourcesOfType("AWS::IAM::Role")).containsOnlyKeys(
        "TruststoreFunctionRole", "DemoBackendFunctionRole", "ApiGatewayCloudWatchRole", "CertificateFunctionRole",
        "DefaultEndpointFunctionRole", "DomainStatusFunctionRole", "RevocationIndexRole",
        "RevocationAuthorizerFunctionRole", "AccountRoleFunctionRole", "TruststoreExpiryFunctionRole");
    template.resourcesOfType("AWS::IAM::Role").forEach((id, role) -> {
      assertThat(role.path("Properties").has("ManagedPolicyArns")).as(id).isFalse();
      assertThat(role.path("Properties").path("Policies")).as(id).isNotEmpty();
    });
    template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) ->
        assertThat(function.path("Properties").has("Policies")).as("%s SAM Policies", id).isFalse());
  }

  @Test
  void demoBackendMayOnlyWriteItsOwnLogs() {
    String logGroupArn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-demo-backend:*";
    Intrinsics intrinsics = Scenario.demo(template).with("DemoBackendLogGroup.Arn", logGroupArn).intrinsics();
    assertThat(CfnTemplate.referencedId(template.properties("DemoBackendFunction").path("Role")))
        .isEqualTo("DemoBackendFunctionRole");
    JsonNode role = template.properties("DemoBackendFunctionRole");
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
    assertThat(granted(role, intrinsics)).isEqualTo(Map.of(
        "logs:CreateLogStream", Set.of(logGroupArn),
        "logs:PutLogEvents", Set.of(logGroupArn)));
  }

  /**
   * GetRestApi and GetStage of this API and stage, UpdateRestApi of this API, CreateDeployment on it, GetResources and
   * UpdateIntegration of its methods (the backend TLS setting), and its own logs: nothing of any other API.
   */
  @Test
  void defaultEndpointFunctionMayOnlyRedeployItsOwnApi() {
    String logGroupArn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-default-endpoint:*";
    Intrinsics intrinsics = Scenario.of(template).with("StageName", "live")
        .with("DefaultEndpointLogGroup.Arn", logGroupArn).intrinsics();
    assertThat(CfnTemplate.referencedId(template.properties("DefaultEndpointFunction").path("Role")))
        .isEqualTo("DefaultEndpointFunctionRole");
    JsonNode role = template.properties("DefaultEndpointFunctionRole");
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
    String api = "arn:aws:apigateway:eu-west-1::/restapis/" + Scenario.REST_API_ID;
    assertThat(granted(role, intrinsics)).isEqualTo(Map.of(
        "logs:CreateLogStream", Set.of(logGroupArn),
        "logs:PutLogEvents", Set.of(logGroupArn),
        "apigateway:GET", Set.of(api, api + "/stages/live", api + "/resources"),
        "apigateway:PATCH", Set.of(api, api + "/resources/r00tid/methods/ANY/integration",
            api + "/resources/{ProxyResource}/methods/ANY/integration"),
        "apigateway:POST", Set.of(api + "/deployments")));
  }

  /** GetDomainName of this stack's domain, and its own logs. */
  @Test
  void domainStatusFunctionMayOnlyReadItsOwnDomain() {
    String logGroupArn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-domain-status:*";
    Intrinsics intrinsics = Scenario.of(template).with("DomainName", "mtls.example.org")
        .with("DomainStatusLogGroup.Arn", logGroupArn).intrinsics();
    assertThat(CfnTemplate.referencedId(template.properties("DomainStatusFunction").path("Role")))
        .isEqualTo("DomainStatusFunctionRole");
    JsonNode role = template.properties("DomainStatusFunctionRole");
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
    assertThat(granted(role, intrinsics)).isEqualTo(Map.of(
        "logs:CreateLogStream", Set.of(logGroupArn),
        "logs:PutLogEvents", Set.of(logGroupArn),
        "apigateway:GET", Set.of("arn:aws:apigateway:eu-west-1::/domainnames/mtls.example.org")));
  }

  /**
   * The API keeps its own DisableExecuteApiEndpoint (safe from the first second); Custom::DefaultEndpoint makes it
   * take effect on the stage (a Ref to the stage: it runs after the stage exists), with the handler's properties.
   */
  @Test
  void defaultEndpointIsDisabledOnTheStage() {
    assertThat(template.type("DefaultEndpoint")).isEqualTo("Custom::DefaultEndpoint");
    assertThat(template.properties("RestApi").path("DisableExecuteApiEndpoint").asBoolean(false)).isTrue();
    JsonNode properties = template.properties("DefaultEndpoint");
    Set<String> names = new TreeSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("ServiceToken", "ServiceTimeout", "RestApiId", "StageName", "Disabled",
        "BackendProtocol", "BackendTlsSkipVerification", "MethodsDeploymentId");
    assertThat(properties.path("ServiceToken"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"DefaultEndpointFunction\", \"Arn\"]}"));
    assertThat(properties.path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
    assertThat(properties.path("StageName")).as("a Ref to the stage resource, not the parameter")
        .isEqualTo(json("{\"Ref\": \"ApiStage\"}"));
    assertThat(properties.path("Disabled").asText()).isEqualTo("true");
    assertThat(template.properties("DefaultEndpointFunction").path("Handler").asText())
        .isEqualTo("com.mtlsgateway.endpoint.DefaultEndpointHandler::handleRequest");
    assertThat(timeout(template.properties("DefaultEndpointFunction"))).isBetween(120, 300);
  }

  /**
   * Custom::DomainStatus checks the domain once its base path mapping exists, again whenever the staged truststore
   * changes (its version), and fails on truststore warnings unless AcceptTruststoreWarnings is 'true'. (Its
   * certificate properties: {@link #domainStatusRunsAgainOnEveryCertificateChange}.)
   */
  @ParameterizedTest
  @CsvSource({"false, true", "true, false"})
  void domainStatusRunsAfterTheMappingAndOnEveryTruststore(String acceptWarnings, String failOnWarnings) {
    assertThat(template.type("DomainStatus")).isEqualTo("Custom::DomainStatus");
    assertThat(template.dependsOn("DomainStatus")).contains("BasePathMapping");
    JsonNode properties = template.properties("DomainStatus");
    Set<String> names = new TreeSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("ServiceToken", "ServiceTimeout", "DomainName", "TruststoreVersion",
        "CertificateArn", "CertificateNotAfter", "OwnershipVerificationCertificateArn", "FailOnTruststoreWarnings");
    assertThat(properties.path("ServiceToken"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"DomainStatusFunction\", \"Arn\"]}"));
    assertThat(properties.path("DomainName")).isEqualTo(json("{\"Ref\": \"Domain\"}"));
    assertThat(properties.path("TruststoreVersion"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreVersion\"]}"));
    Scenario scenario = Scenario.of(template).with("AcceptTruststoreWarnings", acceptWarnings);
    assertThat(scenario.property("DomainStatus", "FailOnTruststoreWarnings").asText()).isEqualTo(failOnWarnings);
    assertThat(template.properties("DomainStatusFunction").path("Handler").asText())
        .isEqualTo("com.mtlsgateway.endpoint.DomainStatusHandler::handleRequest");
    assertThat(timeout(template.properties("DomainStatusFunction"))).as("waits out UPDATING")
        .isGreaterThanOrEqualTo(300);
  }

  /**
   * Custom::DomainStatus also runs again when the domain gets another server certificate (CertificateArn: the
   * domain's RegionalCertificateArn), a re-import of the imported one (same ARN, new NotAfter) or another ownership
   * verification certificate: the changes that can leave it FAILED or PENDING_CERTIFICATE_REIMPORT /
   * PENDING_OWNERSHIP_VERIFICATION.
   */
  @Test
  void domainStatusRunsAgainOnEveryCertificateChange() {
    assertThat(template.properties("DomainStatus").path("CertificateArn")).as("the domain's certificate")
        .isEqualTo(template.properties("Domain").path("RegionalCertificateArn"));
    assertThat(template.properties("DomainStatus").path("OwnershipVerificationCertificateArn"))
        .isEqualTo(template.properties("Domain").path("OwnershipVerificationCertificateArn"));

    Scenario given = Scenario.of(template);
    assertThat(given.property("DomainStatus", "CertificateArn").asText()).isEqualTo(Scenario.CERTIFICATE);
    assertThat(given.property("DomainStatus", "CertificateNotAfter").isMissingNode()).isTrue();
    assertThat(given.property("DomainStatus", "OwnershipVerificationCertificateArn").isMissingNode()).isTrue();

    Scenario givenWithOwnership = Scenario.of(template)
        .with("OwnershipVerificationCertificateArn", Scenario.OWNERSHIP_CERTIFICATE);
    assertThat(givenWithOwnership.failedRules()).isEmpty();
    assertThat(givenWithOwnership.property("DomainStatus", "CertificateArn").asText())
        .isEqualTo(Scenario.CERTIFICATE);
    assertThat(givenWithOwnership.property("DomainStatus", "CertificateNotAfter").isMissingNode()).isTrue();
    assertThat(givenWithOwnership.property("DomainStatus", "OwnershipVerificationCertificateArn").asText())
        .isEqualTo(Scenario.OWNERSHIP_CERTIFICATE);

    Scenario imported = Scenario.of(template).importing();
    assertThat(imported.property("DomainStatus", "CertificateArn").asText())
        .isEqualTo(Scenario.IMPORTED_CERTIFICATE)
        .isEqualTo(imported.property("Domain", "RegionalCertificateArn").asText());
    assertThat(imported.property("DomainStatus", "CertificateNotAfter").asText())
        .isEqualTo(Scenario.IMPORTED_NOT_AFTER);
    assertThat(imported.property("DomainStatus", "OwnershipVerificationCertificateArn").asText())
        .isEqualTo(Scenario.OWNERSHIP_CERTIFICATE);

    Scenario reimported = Scenario.of(template).importing()
        .with("ImportedCertificate.NotAfter", "2027-06-30T23:59:59Z");
    assertThat(reimported.property("DomainStatus", "CertificateArn").asText()).as("same ARN")
        .isEqualTo(Scenario.IMPORTED_CERTIFICATE);
    assertThat(reimported.property("DomainStatus", "CertificateNotAfter").asText()).as("a change all the same")
        .isEqualTo("2027-06-30T23:59:59Z");
  }

  /** What API Gateway documents for its CloudWatch role, on this account's log groups in this Region only. */
  @Test
  void apiGatewayLoggingRoleWritesOnlyToThisRegionsLogGroups() {
    Intrinsics intrinsics = Scenario.of(template).intrinsics();
    Set<String> logGroups = Set.of("arn:aws:logs:eu-west-1:111122223333:log-group:*");
    Map<String, Set<String>> expected = new TreeMap<>();
    for (String action : List.of("CreateLogGroup", "CreateLogStream", "DescribeLogGroups", "DescribeLogStreams",
        "PutLogEvents", "GetLogEvents", "FilterLogEvents")) {
      expected.put("logs:" + action, logGroups);
    }
    assertThat(granted(template.properties("ApiGatewayCloudWatchRole"), intrinsics)).isEqualTo(expected);
  }

  /**
   * Action -> resources, over every statement of a role's inline policies (all Allow, without conditions), as
   * CloudFormation evaluates them (conditional statements and resources chosen, AWS::NoValue left out).
   */
  static Map<String, Set<String>> granted(JsonNode role, Intrinsics intrinsics) {
    Map<String, Map<String, Set<String>>> granted = grantedUnderConditions(role, intrinsics);
    assertThat(granted.keySet()).as("statements with a Condition").containsOnly("");
    return granted.get("");
  }

  /**
   * Condition (as evaluated JSON text; "" for none) -> action -> resources, over every statement of a role's inline
   * policies (all Allow), as CloudFormation evaluates them.
   */
  static Map<String, Map<String, Set<String>>> grantedUnderConditions(JsonNode role, Intrinsics intrinsics) {
    Map<String, Map<String, Set<String>>> byCondition = new TreeMap<>();
    for (JsonNode policy : role.path("Policies")) {
      for (JsonNode statement : intrinsics.evaluate(policy.path("PolicyDocument").path("Statement"))) {
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        String condition = statement.has("Condition") ? statement.path("Condition").toString() : "";
        Map<String, Set<String>> granted = byCondition.computeIfAbsent(condition, c -> new TreeMap<>());
        List<String> resources = new ArrayList<>();
        JsonNode resource = intrinsics.evaluate(statement.path("Resource"));
        if (resource.isArray()) {
          resource.forEach(r -> resources.add(r.asText()));
        } else {
          resources.add(resource.asText());
        }
        for (String action : CfnTemplate.texts(statement.path("Action"))) {
          granted.computeIfAbsent(action, a -> new TreeSet<>()).addAll(resources);
        }
      }
    }
    byCondition.putIfAbsent("", new TreeMap<>());
    return byCondition;
  }

  /** The comment lines right above the line that contains {@code marker} contain {@code text}. */
  static void assertCommentAbove(List<String> lines, String marker, String text) {
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        assertThat(at).as("one line %s in template.yaml", marker).isEqualTo(-1);
        at = i;
      }
    }
    assertThat(at).as("a line %s in template.yaml", marker).isNotNegative();
    StringBuilder comment = new StringBuilder();
    for (int i = at - 1; i >= 0 && lines.get(i).trim().startsWith("#"); i--) {
      comment.insert(0, lines.get(i).trim() + " ");
    }
    assertThat(comment.toString()).as("the comment above %s", marker).contains(text);
  }

  /**
   * Evaluates the role's policy for a given source URI: read on the source object (its ARN derived
   * from TruststoreSourceUri), write on the staging key, bucket-level checks on the staging bucket,
   * and its own log group. Nothing else.
   */
  @ParameterizedTest
  @CsvSource({
      "s3://my-pki/client-cas.pem, arn:aws:s3:::my-pki/client-cas.pem",
      "s3://my.pki-bucket/ca/2025/bundle v2.pem?versionId=3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY,"
          + " arn:aws:s3:::my.pki-bucket/ca/2025/bundle v2.pem",
  })
  void truststoreFunctionMayReadOnlyTheSourceAndWriteOnlyTheStagingKey(String sourceUri, String sourceArn) {
    assertThat(Pattern.matches(template.parameter("TruststoreSourceUri").path("AllowedPattern").asText(), sourceUri))
        .as("example %s is a valid TruststoreSourceUri", sourceUri).isTrue();
    Intrinsics intrinsics = new Intrinsics(Map.of(
        "AWS::Partition", "aws",
        "TruststoreSourceUri", sourceUri,
        "TruststoreBucket", STAGING_BUCKET,
        "TruststoreBucket.Arn", "arn:aws:s3:::" + STAGING_BUCKET,
        "TruststoreLogGroup.Arn", LOG_GROUP_ARN), template.root().path("Mappings"));
    String bucketArn = "arn:aws:s3:::" + STAGING_BUCKET;
    String stagingArn = bucketArn + "/" + intrinsics.string(template.properties("Truststore").path("StagingKey"));

    String roleId = CfnTemplate.referencedId(template.properties("TruststoreFunction").path("Role"));
    JsonNode role = template.properties(roleId);
    assertThat(role.has("ManagedPolicyArns")).isFalse();
    assertThat(template.properties("TruststoreFunction").has("Policies")).as("SAM Policies").isFalse();
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));

    assertThat(granted(role, intrinsics)).isEqualTo(Map.of(
        "logs:CreateLogStream", Set.of(LOG_GROUP_ARN),
        "logs:PutLogEvents", Set.of(LOG_GROUP_ARN),
        "s3:GetObject", Set.of(sourceArn, stagingArn),
        "s3:GetObjectVersion", Set.of(sourceArn, stagingArn),
        "s3:PutObject", Set.of(stagingArn),
        "s3:GetBucketVersioning", Set.of(bucketArn),
        // Makes a HeadObject of the not-yet-staged key answer 404 instead of 403.
        "s3:ListBucket", Set.of(bucketArn)));
  }

  /**
   * The certificate function reads exactly the given objects (ARNs derived from the URIs, without the versionId) or
   * secret, writes its own logs, imports new ACM certificates only with this stack's tag in the request, and
   * re-imports, tags, deletes and describes only certificates that carry it (an import names no ARN); it may list
   * certificates and read their tags.
   */
  @ParameterizedTest
  @CsvSource({
      // chain, key secret, key URI, the objects it may read
      "'', " + Scenario.PRIVATE_KEY_SECRET + ", '', arn:aws:s3:::my-pki/server.pem",
      "s3://my-pki/chain.pem, " + Scenario.PRIVATE_KEY_SECRET + ", '',"
          + " 'arn:aws:s3:::my-pki/server.pem arn:aws:s3:::my-pki/chain.pem'",
      "'', '', s3://my.keys/tls/server key.pem?versionId=3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY,"
          + " 'arn:aws:s3:::my-pki/server.pem arn:aws:s3:::my.keys/tls/server key.pem'",
      "s3://my-pki/chain.pem?versionId=v1, '', s3://my.keys/server.key,"
          + " 'arn:aws:s3:::my-pki/server.pem arn:aws:s3:::my-pki/chain.pem arn:aws:s3:::my.keys/server.key'",
  })
  void certificateFunctionMayReadOnlyTheGivenMaterial(String chainUri, String keySecret, String keyUri,
      String objects) {
    String logGroupArn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-certificate:*";
    Scenario scenario = Scenario.of(template).importing().with("CertificateChainUri", chainUri)
        .with("PrivateKeySecretArn", keySecret).with("PrivateKeyUri", keyUri)
        .with("CertificateLogGroup.Arn", logGroupArn);
    for (String parameter : List.of("CertificateChainUri", "PrivateKeySecretArn", "PrivateKeyUri")) {
      assertThat(scenario.values().get(parameter).toString()).as("example %s", parameter)
          .matches(template.parameter(parameter).path("AllowedPattern").asText());
    }
    assertThat(scenario.failedRules()).isEmpty();
    assertThat(CfnTemplate.referencedId(template.properties("CertificateFunction").path("Role")))
        .isEqualTo("CertificateFunctionRole");
    JsonNode role = template.properties("CertificateFunctionRole");
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));

    Set<String> certificates = Set.of("arn:aws:acm:eu-west-1:111122223333:certificate/*");
    Set<String> read = new TreeSet<>(List.of(objects.split(" (?=arn:)")));
    Map<String, Set<String>> expected = new TreeMap<>();
    expected.put("logs:CreateLogStream", Set.of(logGroupArn));
    expected.put("logs:PutLogEvents", Set.of(logGroupArn));
    expected.put("s3:GetObject", read);
    expected.put("s3:GetObjectVersion", read);
    if (!keySecret.isEmpty()) {
      expected.put("secretsmanager:GetSecretValue", Set.of(keySecret));
    }
    expected.put("acm:ListTagsForCertificate", certificates);
    expected.put("acm:ListCertificates", Set.of("*"));
    Map<String, Map<String, Set<String>>> granted = grantedUnderConditions(role, scenario.intrinsics());
    assertThat(granted.get("")).isEqualTo(expected);
    assertThat(granted).isEqualTo(Map.of("", expected,
        // A new import: only with the stack's tag in the request (ACM authorizes its Tags as AddTagsToCertificate).
        "{\"StringEquals\":{\"aws:RequestTag/mtls-gateway:stack-id\":\"" + Scenario.STACK_ID + "\"}}",
        Map.of("acm:ImportCertificate", certificates, "acm:AddTagsToCertificate", certificates),
        // Re-import, tags, delete and describe: only certificates that carry this stack's tag.
        "{\"StringEquals\":{\"aws:ResourceTag/mtls-gateway:stack-id\":\"" + Scenario.STACK_ID + "\"}}",
        Map.of("acm:ImportCertificate", certificates, "acm:AddTagsToCertificate", certificates,
            "acm:RemoveTagsFromCertificate", certificates, "acm:DeleteCertificate", certificates,
            "acm:DescribeCertificate", certificates)));
    assertThat(Scenario.STACK_ID).as("a tag value ACM takes: up to 256 of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]")
        .matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}");
  }

  /**
   * Fn::Select does not check bounds, and whether CloudFormation evaluates the branch of Fn::If it does not choose is
   * not documented: with the chain and one key source empty, every Fn::Select of the role, chosen or not, stays within
   * its list (the URIs are padded with 's3://').
   */
  @Test
  void everyObjectArnOfTheCertificateRoleEvaluatesForEmptyUris() {
    List<JsonNode> selects = new ArrayList<>();
    collect(template.properties("CertificateFunctionRole"), "Fn::Select", selects);
    assertThat(selects).as("two per URI parameter").hasSize(6);
    for (Scenario scenario : List.of(Scenario.of(template).importing(),
        Scenario.of(template).importing().with("PrivateKeySecretArn", "").with("PrivateKeyUri", "s3://k/key.pem"))) {
      Intrinsics intrinsics = scenario.intrinsics();
      for (JsonNode select : selects) {
        assertThat(intrinsics.evaluate(select).isTextual()).as("%s", select).isTrue();
      }
    }
  }

  private static void collect(JsonNode node, String function, List<JsonNode> found) {
    if (node.isObject() && node.size() == 1 && node.has(function)) {
      found.add(node);
    }
    node.forEach(child -> collect(child, function, found));
  }

  /**
   * Every parameter is described and constrained: Strings by a pattern or a list of values, Numbers by a range or a
   * list of values, and defaults within the constraint. The AWS-specific types (VPC and subnet ids) are checked by
   * CloudFormation itself against the account and Region.
   */
  @Test
  void parametersAreDescribedAndConstrained() {
    template.root().path("Parameters").properties().forEach(parameter -> {
      String name = parameter.getKey();
      JsonNode definition = parameter.getValue();
      // CloudFormation's limit for a parameter's Description: 4,000 characters.
      assertThat(definition.path("Description").asText()).as("%s Description", name).isNotBlank()
          .hasSizeLessThanOrEqualTo(4000);
      JsonNode defaultValue = definition.path("Default");
      switch (definition.path("Type").asText()) {
        case "String" -> {
          assertThat(definition.has("AllowedPattern") || definition.has("AllowedValues"))
              .as("%s has AllowedPattern or AllowedValues", name).isTrue();
          if (!defaultValue.isMissingNode() && definition.has("AllowedPattern")) {
            assertThat(defaultValue.asText()).as("%s Default", name).matches(definition.path("AllowedPattern").asText());
          }
        }
        case "Number" -> {
          assertThat(definition.has("AllowedValues") || definition.has("MinValue") && definition.has("MaxValue"))
              .as("%s has AllowedValues or MinValue and MaxValue", name).isTrue();
          if (!defaultValue.isMissingNode() && definition.has("MinValue")) {
            assertThat(defaultValue.asInt()).as("%s Default", name)
                .isBetween(definition.path("MinValue").asInt(), definition.path("MaxValue").asInt());
          }
        }
        case "AWS::EC2::VPC::Id", "List<AWS::EC2::Subnet::Id>" -> assertThat(defaultValue.isMissingNode()).isTrue();
        default -> throw new AssertionError(name + " has an unexpected type " + definition.path("Type"));
      }
      if (!defaultValue.isMissingNode() && definition.has("AllowedValues")) {
        assertThat(definition.path("AllowedValues")).as("%s AllowedValues", name).contains(defaultValue);
      }
    });
    assertPattern("TruststoreSourceUri",
        List.of("s3://my-pki/client-cas.pem", "s3://b.example/dir/ca.pem?versionId=null.v1+/="),
        List.of("https://my-pki/ca.pem", "s3://my-pki", "s3://my-pki/", "s3://My-Pki/ca.pem",
            "s3://my-pki/ca*.pem", "s3://my-pki/ca.pem?foo=bar", "s3://my-pki/ca.pem?versionId="));
    assertPattern("DomainName",
        List.of("api.example.com", "mtls-1.eu.example.co.uk"),
        List.of("API.example.com", "localhost", "*.example.com", "-api.example.com", "api.example.com."));
    String arn = "arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555";
    assertPattern("CertificateArn",
        List.of(arn, arn.replace("arn:aws:", "arn:aws-cn:")),
        List.of("arn:aws:iam::111122223333:server-certificate/x", arn + " ", "none"));
    assertThat(template.parameter("CertificateArn").path("Default").asText("missing")).isEmpty();
    for (String uri : List.of("CertificateUri", "CertificateChainUri", "PrivateKeyUri")) {
      assertThat(template.parameter(uri).path("Default").asText("missing")).as(uri).isEmpty();
      assertPattern(uri,
          List.of("", "s3://my-pki/server.pem", "s3://b.example/dir/server key.pem?versionId=null.v1+/="),
          List.of("https://my-pki/server.pem", "s3://my-pki", "s3://my-pki/", "s3://My-Pki/server.pem",
              "s3://my-pki/server*.pem", "s3://my-pki/*", "s3://my-pki/server.pem?foo=bar",
              "s3://my-pki/server.pem?versionId=", "arn:aws:s3:::my-pki/server.pem"));
    }
    // The full ARN: IAM matches the secret's ARN, which ends in '-' and six characters Secrets Manager chose.
    assertPattern("PrivateKeySecretArn",
        List.of("", Scenario.PRIVATE_KEY_SECRET,
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:k-123456"),
        List.of("mtls/server-key", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:mtls/server-key",
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:*", Scenario.PRIVATE_KEY_SECRET + "*",
            "arn:aws:ssm:eu-west-1:111122223333:parameter/server-key-AbCdEf"));
    assertPattern("OwnershipVerificationCertificateArn", List.of("", arn), List.of("none"));
    // A String with a pattern, not a CommaDelimitedList: only a pattern can refuse a sixth address (the template
    // registers at most five) instead of dropping it.
    assertThat(template.parameter("TargetIps").path("Type").asText()).isEqualTo("String");
    assertPattern("TargetIps",
        List.of("", "10.0.1.10", "10.0.1.10,10.0.2.10", "0.0.0.0,255.255.255.255,10.0.0.1,172.16.0.1,192.168.1.1"),
        List.of("10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10,10.0.5.10,10.0.6.10", "10.0.1.10, 10.0.2.10",
            "10.0.1.10,", ",10.0.1.10", "256.0.0.1", "10.0.1", "010.0.1.1", "10.0.1.10/32", "backend.internal"));
    assertPattern("ExistingNlbArn",
        List.of("", Scenario.EXISTING_NLB_ARN),
        List.of("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/my-alb/0123456789abcdef",
            "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/my-tg/0123456789abcdef", "my-nlb"));
    assertPattern("ExistingNlbDnsName",
        List.of("", Scenario.EXISTING_NLB_DNS, "backend.internal.example.com"),
        List.of("http://" + Scenario.EXISTING_NLB_DNS, Scenario.EXISTING_NLB_DNS + ":80", "a b.example.com", "nlb"));
    assertPattern("HostedZoneId", List.of("", "Z0123456789ABCDEFGHIJ"), List.of("z0123", "/hostedzone/Z0123"));
    assertPattern("HealthCheckPath", List.of("/healthcheck", "/", "/health?full=1"),
        List.of("", "healthcheck", "/health check"));
    assertPattern("StageName", List.of("prod", "v1_beta-2"), List.of("", "prod stage", "a/b"));
  }

  @Test
  void outputsGiveTheDnsTargetAndTheTruststoreInUse() {
    JsonNode outputs = template.root().path("Outputs");
    assertThat(outputs.path("DomainName").path("Value")).isEqualTo(json("{\"Ref\": \"Domain\"}"));
    assertThat(outputs.path("RegionalDomainName").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Domain\", \"RegionalDomainName\"]}"));
    assertThat(outputs.path("RegionalHostedZoneId").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Domain\", \"RegionalHostedZoneId\"]}"));
    assertThat(outputs.path("TruststoreUri").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreUri\"]}"));
    assertThat(outputs.path("TruststoreVersion").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreVersion\"]}"));
    assertThat(outputs.path("TruststoreBucketName").path("Value")).isEqualTo(json("{\"Ref\": \"TruststoreBucket\"}"));
    assertThat(outputs.path("DomainNameStatus").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"DomainStatus\", \"DomainNameStatus\"]}"));
    assertThat(outputs.path("TruststoreWarningCount").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"DomainStatus\", \"TruststoreWarningCount\"]}"));
  }

  /** CloudFormation matches AllowedPattern against the whole value, with Java regex syntax. */
  private static void assertPattern(String parameter, List<String> accepted, List<String> refused) {
    Pattern pattern = Pattern.compile(template.parameter(parameter).path("AllowedPattern").asText());
    assertThat(accepted).as("%s accepts", parameter).allMatch(value -> pattern.matcher(value).matches());
    assertThat(refused).as("%s refuses", parameter).noneMatch(value -> pattern.matcher(value).matches());
  }

  private static int timeout(JsonNode function) {
    return function.path("Timeout").asInt(template.root().path("Globals").path("Function").path("Timeout").asInt(3));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
