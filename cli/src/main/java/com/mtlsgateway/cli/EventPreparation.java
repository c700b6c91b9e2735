package com.mtlsgateway.cli;

import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.certificate.ImportedCertificateProperties;
import com.mtlsgateway.endpoint.DefaultEndpointProperties;
import com.mtlsgateway.endpoint.DomainStatusProperties;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.revocation.RevocationListProperties;
import com.mtlsgateway.truststore.TruststoreProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.SecurityPolicy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * What {@code mtls invoke --prepare} puts into a local emulator (moto) so that an event runs as it would in a deployed
 * stack: the buckets, objects, secret, REST API and custom domain the event's properties name. What is already there
 * is kept (your own bundle at a name the event uses is the one read); only what is missing is made.
 *
 * <ul>
 *   <li>S3 objects named by {@code SourceUri}, {@code TruststoreUri} and {@code RevocationListUris} come from the
 *       demo files under events/ listed in {@link #DEMO_FILES}; the staging and index buckets are versioned.
 *   <li>The server certificate, chain and key of {@code Custom::ImportedCertificate} are made now
 *       ({@link DemoCertificates}): the key exists only in the emulator's secret (and at {@code PrivateKeyUri} when
 *       the event names one), never in a file. A second {@code CertificateUri} (an Update's new one) gets a renewal:
 *       the same key, valid longer.
 *   <li>{@code PrivateKeySecretArn} is replaced by the ARN the emulator gave the secret of that name (Secrets Manager
 *       ends an ARN with 6 random characters, which no file can know).
 *   <li>Nothing for {@code Custom::ApiGatewayAccountRole}: it reads and sets the emulator's account setting as it is.
 *   <li>The REST API {@code RestApiId} (moto takes the id from the tag {@code _custom_id_}) with one GET method and a
 *       deployment to every {@code StageName}; the custom domain {@code DomainName} of {@code Custom::DomainStatus}.
 * </ul>
 *
 * <p>Each step writes one line to {@code err}. Never used against AWS itself: {@link LocalEndpoint} is checked first.
 */
final class EventPreparation {

  /**
   * The demo file (relative to the event file's folder) for each S3 object the files in events/ name: certificates
   * and CRLs only, no keys.
   */
  static final Map<String, String> DEMO_FILES = Map.of(
      "s3://mtls-gateway-demo-source/ca-bundle.pem", "truststore/ca-bundle.pem",
      "s3://mtls-gateway-demo-source/ca-bundle-v2.pem", "truststore/ca-bundle-v2.pem",
      "s3://mtls-gateway-demo-source/bad-bundle.pem", "truststore/bad-bundle.pem",
      "s3://mtls-gateway-demo-truststore/truststore.pem", "revocation/truststore.pem",
      "s3://mtls-gateway-demo-source/crl/ca1.crl", "revocation/ca1.crl",
      "s3://mtls-gateway-demo-source/crl/ca2.crl", "revocation/ca2.crl");

  /** The random suffix Secrets Manager adds to a secret's name in its ARN. */
  private static final Pattern SECRET_ARN =
      Pattern.compile("arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+?)(-[A-Za-z0-9]{6})?");
  /** A server certificate is valid for a year; its renewal 35 days longer. */
  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final Duration RENEWAL = Duration.ofDays(35);

  private final Path eventsFolder;
  private final S3Client s3;
  private final SecretsManagerClient secrets;
  private final ApiGatewayClient apiGateway;
  private final PrintStream err;
  private final Clock clock;
  private final Set<String> said = new HashSet<>();

  /** @param eventsFolder the folder of the event file, where {@link #DEMO_FILES} are looked up */
  EventPreparation(Path eventsFolder, S3Client s3, SecretsManagerClient secrets, ApiGatewayClient apiGateway,
      PrintStream err, Clock clock) {
    this.eventsFolder = eventsFolder;
    this.s3 = s3;
    this.secrets = secrets;
    this.apiGateway = apiGateway;
    this.err = err;
    this.clock = clock;
  }

  /** Something the emulator could not be given; the message names it and what to do. */
  static final class PrepareException extends Exception {
    private static final long serialVersionUID = 1L;

    PrepareException(String message) {
      super(message);
    }
  }

  /**
   * Makes what a custom resource event names exist in the emulator.
   *
   * @return the event to run: the same, with {@code PrivateKeySecretArn} set to the secret's real ARN
   * @throws PrepareException when something cannot be made (e.g. a key file cannot be read)
   * @throws software.amazon.awssdk.core.exception.SdkException when the emulator does not answer as expected
   */
  JsonObject prepare(JsonObject event) throws PrepareException {
    List<JsonObject> properties = propertySets(event);
    switch (String.valueOf(event.string("ResourceType"))) {
      case "Custom::Truststore" -> {
        for (JsonObject set : properties) {
          sourceObject(set.string(TruststoreProperties.SOURCE_URI), null);
          versionedBucket(set.string(TruststoreProperties.STAGING_BUCKET));
        }
      }
      case "Custom::RevocationList" -> {
        for (JsonObject set : properties) {
          sourceObject(set.string(RevocationListProperties.TRUSTSTORE_URI),
              set.string(RevocationListProperties.TRUSTSTORE_VERSION));
          String uris = set.string(RevocationListProperties.REVOCATION_LIST_URIS);
          for (String uri : uris == null ? new String[0] : uris.split(",")) {
            if (uri.trim().startsWith("s3://")) {
              sourceObject(uri.trim(), null);
            }
          }
          versionedBucket(set.string(RevocationListProperties.INDEX_BUCKET));
        }
      }
      case "Custom::ImportedCertificate" -> {
        return importedCertificate(event, properties);
      }
      case "Custom::DefaultEndpoint" -> restApi(properties);
      case "Custom::DomainStatus" -> {
        for (JsonObject set : properties) {
          domain(set.string(DomainStatusProperties.DOMAIN_NAME), set.string(DomainStatusProperties.CERTIFICATE_ARN));
        }
      }
      case "Custom::ApiGatewayAccountRole" -> say("nothing to prepare: the emulator's API Gateway account setting is"
          + " used as it is (no role is set in a fresh one; the RoleArn need not exist there)");
      default -> say("nothing to prepare for ResourceType " + event.string("ResourceType"));
    }
    return event;
  }

  /**
   * The Create CloudFormation sent before an Update or Delete: the same resource with the properties it had then
   * (an Update's OldResourceProperties, a Delete's ResourceProperties), a RequestId of its own, no
   * PhysicalResourceId.
   */
  static JsonObject priorCreate(JsonObject event) {
    JsonObject create = new JsonObject();
    boolean update = "Update".equals(event.string("RequestType"));
    for (Map.Entry<String, Object> member : event.members().entrySet()) {
      switch (member.getKey()) {
        case "PhysicalResourceId", "OldResourceProperties" -> { }
        case "RequestType" -> create.put("RequestType", "Create");
        case "RequestId" -> create.put("RequestId", UUID.randomUUID().toString());
        case "ResourceProperties" -> create.put("ResourceProperties",
            update && event.object("OldResourceProperties") != null ? event.object("OldResourceProperties")
                : member.getValue());
        default -> create.put(member.getKey(), member.getValue());
      }
    }
    return create;
  }

  /** The event's properties, those of the resource's Create first (an Update's OldResourceProperties). */
  private static List<JsonObject> propertySets(JsonObject event) {
    List<JsonObject> sets = new ArrayList<>();
    for (String name : List.of("OldResourceProperties", "ResourceProperties")) {
      if (event.object(name) != null) {
        sets.add(event.object(name));
      }
    }
    return sets;
  }

  /**
   * An object the handler reads: kept when it is there, else put from its demo file.
   *
   * @param version the version the event names, or null for the current one; "null" (S3's id of an object written
   *     while versioning was off) is made by writing the object with versioning suspended
   */
  private void sourceObject(String uri, String version) throws PrepareException {
    if (uri == null || !uri.startsWith("s3://")) {
      return;
    }
    S3Location location = location(uri);
    String shown = uri + (version == null ? "" : " version " + version);
    bucket(location.bucket());
    if (exists(location.bucket(), location.key(), version)) {
      say("kept " + shown + " (already there)");
      return;
    }
    String demo = DEMO_FILES.get(location.uri());
    Path file = demo == null ? null : eventsFolder.resolve(demo);
    if (file == null || !Files.isRegularFile(file)) {
      say(shown + " is missing and there is no demo file for it: put your own, e.g. aws s3 cp FILE " + uri);
      return;
    }
    if (version != null && !"null".equals(version)) {
      say(shown + " is missing: an emulator gives its own version ids, so only \"null\" can be made; set"
          + " TruststoreVersion to \"null\" in the event");
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PrepareException("cannot read the demo file " + file + ": " + InputFiles.describe(e));
    }
    boolean suspend = version != null && versioned(location.bucket());
    if (suspend) {
      versioning(location.bucket(), BucketVersioningStatus.SUSPENDED);
    }
    s3.putObject(b -> b.bucket(location.bucket()).key(location.key()), RequestBody.fromBytes(bytes));
    if (suspend) {
      versioning(location.bucket(), BucketVersioningStatus.ENABLED);
    }
    say("put " + shown + " from " + file);
  }

  private boolean exists(String bucket, String key, String version) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key).versionId(version));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || e.statusCode() == 400) {
        return false;
      }
      throw e;
    }
  }

  private void bucket(String name) {
    try {
      s3.headBucket(b -> b.bucket(name));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      s3.createBucket(b -> b.bucket(name));
      say("created bucket " + name);
    }
  }

  /** A bucket the handler stages in: it refuses an unversioned one, as the stack's bucket is versioned. */
  private void versionedBucket(String name) {
    if (name == null) {
      return;
    }
    bucket(name);
    if (!versioned(name)) {
      versioning(name, BucketVersioningStatus.ENABLED);
      say("turned on versioning of bucket " + name);
    }
  }

  private boolean versioned(String bucket) {
    return s3.getBucketVersioning(b -> b.bucket(bucket)).status() == BucketVersioningStatus.ENABLED;
  }

  private void versioning(String bucket, BucketVersioningStatus status) {
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(status)));
  }

  /**
   * The certificate objects, the chain and the key secret, made together (the key must be the certificates'):
   * kept when all are there, else all made anew.
   */
  private JsonObject importedCertificate(JsonObject event, List<JsonObject> properties) throws PrepareException {
    Set<String> certificates = new LinkedHashSet<>();
    Set<String> chains = new LinkedHashSet<>();
    Set<String> keyObjects = new LinkedHashSet<>();
    Set<String> secretNames = new LinkedHashSet<>();
    String domain = null;
    for (JsonObject set : properties) {
      addIfS3(certificates, set.string(ImportedCertificateProperties.CERTIFICATE_URI));
      addIfS3(chains, set.string(ImportedCertificateProperties.CHAIN_URI));
      addIfS3(keyObjects, set.string(ImportedCertificateProperties.PRIVATE_KEY_URI));
      String arn = set.string(ImportedCertificateProperties.PRIVATE_KEY_SECRET_ARN);
      if (arn != null) {
        secretNames.add(secretName(arn));
      }
      domain = domain != null ? domain : set.string(ImportedCertificateProperties.DOMAIN_NAME);
    }
    List<String> objects = new ArrayList<>(certificates);
    objects.addAll(chains);
    objects.addAll(keyObjects);
    boolean complete = true;
    for (String uri : objects) {
      S3Location location = location(uri);
      bucket(location.bucket());
      complete &= exists(location.bucket(), location.key(), null);
    }
    complete &= secretNames.stream().allMatch(this::secretExists);
    if (complete) {
      say("kept the certificate, chain and key already there (" + String.join(", ", objects)
          + (secretNames.isEmpty() ? "" : ", secret " + String.join(", ", secretNames)) + ")");
    } else {
      makeCertificates(domain == null ? "api.example.com" : domain, certificates, chains, keyObjects, secretNames);
    }
    Set<String> replaced = new LinkedHashSet<>();
    for (JsonObject set : properties) {
      String arn = set.string(ImportedCertificateProperties.PRIVATE_KEY_SECRET_ARN);
      if (arn != null) {
        String real = secrets.describeSecret(b -> b.secretId(secretName(arn))).arn();
        set.put(ImportedCertificateProperties.PRIVATE_KEY_SECRET_ARN, real);
        if (!real.equals(arn) && replaced.add(arn)) {
          say("PrivateKeySecretArn " + arn + " replaced by " + real + ", the ARN the emulator gave that secret");
        }
      }
    }
    return event;
  }

  private void makeCertificates(String domain, Set<String> certificates, Set<String> chains, Set<String> keyObjects,
      Set<String> secretNames) throws PrepareException {
    Instant now = clock.instant();
    DemoCertificates.ServerMaterial material;
    try {
      material = DemoCertificates.serverMaterial(domain, now.minus(Duration.ofDays(1)), now.plus(VALIDITY));
    } catch (GeneralSecurityException e) {
      throw new PrepareException("this JDK cannot make the demo certificates (EC P-256, RSA 2048): " + e.getMessage());
    }
    int index = 0;
    for (String uri : certificates) {
      DemoCertificates.ServerMaterial issued;
      try {
        issued = index == 0 ? material : material.renewed(domain, now.minus(Duration.ofDays(1)),
            now.plus(VALIDITY).plus(RENEWAL.multipliedBy(index)));
      } catch (GeneralSecurityException e) {
        throw new PrepareException("this JDK cannot make the demo certificates: " + e.getMessage());
      }
      put(uri, issued.certificatePem());
      say("put " + uri + ": a server certificate for " + domain + " and www." + domain + " made now, valid until "
          + issued.server().certificate().getNotAfter().toInstant() + (index == 0 ? "" : " (a renewal: the same key)"));
      index++;
    }
    for (String uri : chains) {
      put(uri, material.chainPem());
      say("put " + uri + ": its chain (Demo Server Issuing CA, Demo Server Root CA), made now");
    }
    String key = material.keyPem();
    for (String uri : keyObjects) {
      put(uri, key);
      say("put " + uri + ": its private key, made now (not printed)");
    }
    for (String name : secretNames) {
      if (secretExists(name)) {
        secrets.putSecretValue(b -> b.secretId(name).secretString(key));
        say("set secret " + name + " to its private key, made now (not printed)");
      } else {
        secrets.createSecret(b -> b.name(name).secretString(key));
        say("created secret " + name + " holding its private key, made now (not printed)");
      }
    }
  }

  private void put(String uri, String text) throws PrepareException {
    S3Location location = location(uri);
    s3.putObject(b -> b.bucket(location.bucket()).key(location.key()),
        RequestBody.fromString(text, StandardCharsets.US_ASCII));
  }

  /** An S3 URI of the event's properties; a malformed one is left to the handler, which names the property. */
  private static S3Location location(String uri) throws PrepareException {
    try {
      return S3Location.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new PrepareException("the event names " + uri + ", which " + e.getMessage()
          + "; fix the event (without --prepare, the handler answers FAILED naming the property)");
    }
  }

  private static void addIfS3(Set<String> uris, String uri) {
    if (uri != null && uri.startsWith("s3://")) {
      uris.add(uri);
    }
  }

  /** The secret's name in a full or partial secret ARN (or the name itself). */
  static String secretName(String arnOrName) {
    Matcher arn = SECRET_ARN.matcher(arnOrName);
    return arn.matches() ? arn.group(1) : arnOrName;
  }

  private boolean secretExists(String name) {
    try {
      secrets.describeSecret(b -> b.secretId(name));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  /** The REST API with a GET method (API Gateway deploys no API without one) deployed to every stage named. */
  private void restApi(List<JsonObject> properties) throws PrepareException {
    String id = null;
    Set<String> stages = new LinkedHashSet<>();
    for (JsonObject set : properties) {
      id = id != null ? id : set.string(DefaultEndpointProperties.REST_API_ID);
      if (set.string(DefaultEndpointProperties.STAGE_NAME) != null) {
        stages.add(set.string(DefaultEndpointProperties.STAGE_NAME));
      }
    }
    if (id == null) {
      return;
    }
    String apiId = id;
    try {
      apiGateway.getRestApi(b -> b.restApiId(apiId));
      say("kept REST API " + apiId + " (already there)");
    } catch (NotFoundException e) {
      String made = apiGateway.createRestApi(b -> b.name("mtls-gateway-demo").tags(Map.of("_custom_id_", apiId))).id();
      if (!made.equals(apiId)) {
        throw new PrepareException("the emulator gave the REST API the id " + made + ", not the RestApiId " + apiId
            + ": use moto, which takes the id from the tag _custom_id_");
      }
      String root = apiGateway.getResources(b -> b.restApiId(apiId)).items().get(0).id();
      apiGateway.putMethod(b -> b.restApiId(apiId).resourceId(root).httpMethod("GET").authorizationType("NONE"));
      apiGateway.putIntegration(b -> b.restApiId(apiId).resourceId(root).httpMethod("GET").type("MOCK"));
      say("created REST API " + apiId + " with a GET / method (MOCK integration)");
    }
    for (String stage : stages) {
      try {
        apiGateway.getStage(b -> b.restApiId(apiId).stageName(stage));
        say("kept stage " + stage + " (already there)");
      } catch (NotFoundException e) {
        apiGateway.createDeployment(b -> b.restApiId(apiId).stageName(stage));
        say("deployed REST API " + apiId + " to a new stage " + stage);
      }
    }
  }

  /** A Regional custom domain with TLS 1.2, as the stack's; the certificate ARN is only recorded by an emulator. */
  private void domain(String name, String certificateArn) {
    if (name == null) {
      return;
    }
    try {
      apiGateway.getDomainName(b -> b.domainName(name));
      say("kept custom domain " + name + " (already there)");
    } catch (NotFoundException e) {
      apiGateway.createDomainName(b -> b.domainName(name).regionalCertificateArn(certificateArn)
          .endpointConfiguration(c -> c.types(EndpointType.REGIONAL)).securityPolicy(SecurityPolicy.TLS_1_2));
      say("created custom domain " + name + " (Regional, TLS 1.2)");
    }
  }

  /** One line per step; an Update's old and new properties often name the same things, said once. */
  private void say(String line) {
    if (said.add(line)) {
      err.println("mtls: --prepare: " + line);
    }
  }
}
