package com.mtlsgateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.revocation.AuthorizerSettings;
import com.mtlsgateway.revocation.RevocationListProperties;
import com.mtlsgateway.revocation.RevocationRefreshHandler;
import com.mtlsgateway.truststore.TruststoreExpiryHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code mtls invoke --prepare EVENT_FILE}: prepares a local emulator for the event ({@link EventPreparation}), runs
 * what a deployed stack would have run before it, then the event itself, as {@code mtls invoke} does.
 *
 * <ul>
 *   <li>An Update or Delete comes after the Create of its resource: that Create runs first (with an Update's
 *       OldResourceProperties, a Delete's ResourceProperties), and the event's PhysicalResourceId is replaced by the
 *       id the Create answered, as CloudFormation sends it (e.g. the ARN ACM gave the imported certificate, which no
 *       file can know in advance).
 *   <li>An authorizer event or the refresh's scheduled event reads what {@code Custom::RevocationList} staged: the
 *       revocation-list-create.json next to it runs first, and the settings the template gives those functions
 *       (REVOCATION_INDEX_URI; for the refresh also TRUSTSTORE_URI and REVOCATION_LIST_URIS) are taken from it.
 *   <li>The truststore expiry check's scheduled event reads the truststore {@code Custom::Truststore} staged: the
 *       truststore-create.json next to it runs first, and TRUSTSTORE_URI is its TruststoreUri and TruststoreVersion.
 *   <li>A scheduled event's function publishes a metric for its stack: STACK_NAME is the stack named in the event's
 *       rule (STACK-RuleLogicalId-SUFFIX), unless this environment sets it.
 * </ul>
 *
 * <p>stdout gets only the event's own response; everything before it is reported on stderr. Refused (exit 2) unless
 * every AWS call goes to this machine ({@link LocalEndpoint}).
 */
final class PrepareCommand {

  /** The Custom::RevocationList event an authorizer or scheduled event is prepared with, next to it. */
  static final String REVOCATION_LIST_CREATE = "revocation-list-create.json";
  /** The Custom::Truststore event the truststore expiry check's scheduled event is prepared with, next to it. */
  static final String TRUSTSTORE_CREATE = "truststore-create.json";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;
  private final Map<String, String> properties;

  /**
   * @param environment this process's environment; {@code properties} its system properties (both for the endpoint
   *     check; the handlers read theirs as usual)
   */
  PrepareCommand(PrintStream out, PrintStream err, Map<String, String> environment,
      Map<String, String> properties) {
    this.out = out;
    this.err = err;
    this.environment = environment;
    this.properties = properties;
  }

  int run(Path eventFile, Duration timeout) {
    Optional<String> remote = LocalEndpoint.pin(environment, properties);
    if (remote.isPresent()) {
      err.println("mtls: invoke --prepare refused: " + remote.get());
      return Main.USAGE_OR_IO;
    }
    JsonObject event = new InvokeCommand(Handlers.builtIn(), out, err).read(eventFile);
    if (event == null) {
      return Main.USAGE_OR_IO;
    }
    Path folder = eventFile.getParent() == null ? Path.of("") : eventFile.getParent();
    try {
      // Built here: a client that cannot be built (no Region) is an SdkException, answered below with exit 2.
      EventPreparation preparation = new EventPreparation(folder, AwsClients.s3(), AwsClients.secretsManager(),
          AwsClients.apiGateway(), err, Clock.systemUTC());
      if (InvokeCommand.kind(event) != InvokeCommand.Kind.CUSTOM_RESOURCE) {
        boolean scheduled = InvokeCommand.kind(event) == InvokeCommand.Kind.SCHEDULED;
        Optional<InvokeCommand.RuleName> rule = InvokeCommand.rule(event, Handlers.builtIn().rules());
        Map<String, String> settings = rule.map(InvokeCommand.RuleName::rule).equals(Optional.of(Handlers.EXPIRY_RULE))
            ? truststoreSettings(folder.resolve(TRUSTSTORE_CREATE), preparation, timeout)
            : revocationSettings(folder.resolve(REVOCATION_LIST_CREATE), preparation, timeout, scheduled);
        if (settings == null) {
          return Main.USAGE_OR_IO;
        }
        if (scheduled && rule.isPresent()) {
          stackName(settings, rule.get());
        }
        return new InvokeCommand(Handlers.builtIn(settings), out, err).run(event, eventFile.toString(),
            timeout);
      }
      JsonObject prepared = preparation.prepare(event);
      String type = prepared.string("RequestType");
      if ("Update".equals(type) || "Delete".equals(type)) {
        err.println("mtls: --prepare: a" + ("Update".equals(type) ? "n" : "") + " " + type + " comes after the Create"
            + " of its resource: running that Create first, with the event's "
            + ("Update".equals(type) ? "OldResourceProperties" : "ResourceProperties"));
        JsonObject created = quietly(EventPreparation.priorCreate(prepared), eventFile + " (its Create)", timeout);
        if (created == null) {
          return Main.USAGE_OR_IO;
        }
        String id = created.string("PhysicalResourceId");
        String written = prepared.string("PhysicalResourceId");
        err.println("mtls: --prepare: PhysicalResourceId " + (id.equals(written) ? id + " (as in the file)"
            : written + " replaced by " + id) + ": the id the Create answered, which CloudFormation sends with every"
            + " later request");
        prepared.put("PhysicalResourceId", id);
      }
      return new InvokeCommand(Handlers.builtIn(), out, err).run(prepared, eventFile.toString(), timeout);
    } catch (EventPreparation.PrepareException e) {
      err.println("mtls: --prepare: " + e.getMessage());
      return Main.USAGE_OR_IO;
    } catch (SdkException e) {
      err.println("mtls: --prepare: the emulator at " + endpoint() + " did not answer as expected (is it running?): "
          + e.getMessage());
      return Main.USAGE_OR_IO;
    }
  }

  /**
   * Runs the Custom::RevocationList Create next to an authorizer or scheduled event, and returns this environment
   * with the settings the template derives from it; null after saying why on stderr.
   */
  private Map<String, String> revocationSettings(Path listFile, EventPreparation preparation, Duration timeout,
      boolean refresh) throws EventPreparation.PrepareException {
    JsonObject list = new InvokeCommand(Handlers.builtIn(), out, err).read(listFile);
    if (list == null || !"Custom::RevocationList".equals(list.string("ResourceType"))
        || !"Create".equals(list.string("RequestType"))) {
      err.println("mtls: --prepare: an authorizer or scheduled event reads the index Custom::RevocationList stages:"
          + " put its Create event next to the event file as " + listFile.getFileName() + " (as in events/)");
      return null;
    }
    err.println("mtls: --prepare: running " + listFile + " first: it stages the revocation index this event reads");
    JsonObject created = quietly(preparation.prepare(list), listFile.toString(), timeout);
    if (created == null) {
      return null;
    }
    Map<String, String> settings = new HashMap<>(environment);
    JsonObject data = created.object("Data");
    set(settings, AuthorizerSettings.INDEX_URI, data == null ? null : data.string("IndexUri"));
    if (refresh) {
      JsonObject properties = list.object("ResourceProperties");
      Optional<String> truststore = versioned(properties, RevocationListProperties.TRUSTSTORE_URI,
          RevocationListProperties.TRUSTSTORE_VERSION);
      if (truststore.isEmpty()) {
        err.println("mtls: --prepare: " + listFile + " has no ResourceProperties."
            + RevocationListProperties.TRUSTSTORE_URI + " and " + RevocationListProperties.TRUSTSTORE_VERSION
            + ", from which the template sets "
            + RevocationRefreshHandler.TRUSTSTORE_URI + ": give both (as in events/)");
        return null;
      }
      set(settings, RevocationRefreshHandler.TRUSTSTORE_URI, truststore.get());
      set(settings, RevocationRefreshHandler.REVOCATION_LIST_URIS,
          properties.string(RevocationListProperties.REVOCATION_LIST_URIS));
    }
    return settings;
  }

  /**
   * Runs the Custom::Truststore Create next to the truststore expiry check's event, and returns this environment
   * with TRUSTSTORE_URI set to the version it staged, as the template sets it; null after saying why on stderr.
   */
  private Map<String, String> truststoreSettings(Path truststoreFile, EventPreparation preparation,
      Duration timeout) throws EventPreparation.PrepareException {
    JsonObject truststore = new InvokeCommand(Handlers.builtIn(), out, err).read(truststoreFile);
    if (truststore == null || !"Custom::Truststore".equals(truststore.string("ResourceType"))
        || !"Create".equals(truststore.string("RequestType"))) {
      err.println("mtls: --prepare: the truststore expiry check reads the truststore Custom::Truststore stages: put"
          + " its Create event next to the event file as " + truststoreFile.getFileName() + " (as in events/)");
      return null;
    }
    err.println("mtls: --prepare: running " + truststoreFile + " first: it stages the truststore this event reads");
    JsonObject created = quietly(preparation.prepare(truststore), truststoreFile.toString(), timeout);
    if (created == null) {
      return null;
    }
    Optional<String> staged = versioned(created.object("Data"), "TruststoreUri", "TruststoreVersion");
    if (staged.isEmpty()) {
      err.println("mtls: --prepare: " + truststoreFile + " answered SUCCESS without Data.TruststoreUri or"
          + " Data.TruststoreVersion, from which the template sets " + TruststoreExpiryHandler.TRUSTSTORE_URI
          + ", so the check is not run; its Data: " + created.get("Data"));
      return null;
    }
    Map<String, String> settings = new HashMap<>(environment);
    set(settings, TruststoreExpiryHandler.TRUSTSTORE_URI, staged.get(), "Custom::Truststore");
    return settings;
  }

  /**
   * An object version's location, {@code s3://BUCKET/KEY?versionId=VERSION}, from an object's members (e.g. a
   * Custom::Truststore response's Data); empty when {@code object} is null or either member is missing or blank.
   */
  static Optional<String> versioned(JsonObject object, String uriMember, String versionMember) {
    String uri = object == null ? null : object.string(uriMember);
    String version = object == null ? null : object.string(versionMember);
    return uri == null || uri.isBlank() || version == null || version.isBlank() ? Optional.empty()
        : Optional.of(uri + "?versionId=" + version);
  }

  /** STACK_NAME, unless this environment sets it: the stack named in the rule's name, STACK-RULE-SUFFIX. */
  private void stackName(Map<String, String> settings, InvokeCommand.RuleName rule) {
    String current = settings.get(Metrics.STACK_NAME);
    if (current != null && !current.isBlank()) {
      return;
    }
    settings.put(Metrics.STACK_NAME, rule.stack());
    err.println("mtls: --prepare: " + Metrics.STACK_NAME + "=" + rule.stack() + ", the stack named in the event's"
        + " rule (the template sets it to the stack's name; a long one is cut short in the rule's name: set "
        + Metrics.STACK_NAME + " to the whole name)");
  }

  private void set(Map<String, String> settings, String name, String value) {
    set(settings, name, value, "Custom::RevocationList");
  }

  private void set(Map<String, String> settings, String name, String value, String from) {
    settings.put(name, value == null ? "" : value);
    err.println("mtls: --prepare: " + name + "=" + value + ", as the template sets it from " + from);
  }

  /**
   * Runs a custom resource event with its response kept off stdout; returns the response when it is SUCCESS, else
   * null after saying so.
   */
  private JsonObject quietly(JsonObject event, String source, Duration timeout) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status = new InvokeCommand(Handlers.builtIn(), new PrintStream(body, true, StandardCharsets.UTF_8), err)
        .run(event, source, timeout);
    String text = body.toString(StandardCharsets.UTF_8);
    if (status != Main.OK) {
      err.println("mtls: --prepare: " + source + " did not succeed, so the event is not run; its response: " + text);
      return null;
    }
    try {
      return (JsonObject) JsonCodec.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException | ClassCastException e) {
      err.println("mtls: --prepare: " + source + " answered no JSON object: " + text);
      return null;
    }
  }

  private String endpoint() {
    String property = properties.get("aws.endpointUrl");
    return property != null ? property : environment.get("AWS_ENDPOINT_URL");
  }
}
