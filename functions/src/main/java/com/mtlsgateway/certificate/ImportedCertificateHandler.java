package com.mtlsgateway.certificate;

import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.customresource.Backoff;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.Outcome;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.customresource.ResponseSender;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.AcmException;
import software.amazon.awssdk.services.acm.model.CertificateStatus;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.acm.model.CertificateType;
import software.amazon.awssdk.services.acm.model.ImportCertificateRequest;
import software.amazon.awssdk.services.acm.model.KeyAlgorithm;
import software.amazon.awssdk.services.acm.model.ListCertificatesResponse;
import software.amazon.awssdk.services.acm.model.ResourceInUseException;
import software.amazon.awssdk.services.acm.model.ResourceNotFoundException;
import software.amazon.awssdk.services.acm.model.SortBy;
import software.amazon.awssdk.services.acm.model.SortOrder;
import software.amazon.awssdk.services.acm.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Backs {@code Custom::ImportedCertificate}: reads a server certificate, its chain and its private key, checks them
 * ({@link CertificateChecker}) and imports them into ACM, so that an API Gateway custom domain can use a certificate
 * from the user's own or a commercial CA.
 *
 * <ul>
 *   <li>Create: check, then {@code ImportCertificate} with the Tags, {@code mtls-gateway:request-id} set to the
 *       RequestId and {@code mtls-gateway:stack-id} set to the StackId, all in that one call: the role may re-import,
 *       tag and delete only certificates tagged with its stack's id, so an import without them would leave a
 *       certificate the stack could never touch again. The PhysicalResourceId is the certificate ARN. ACM's ImportCertificate has no idempotency token and
 *       Lambda retries a failed or timed-out event: before importing, the certificate an earlier attempt at the same
 *       RequestId imported is looked for by that tag, and reused when found (bounded: see {@code findImported}).
 *   <li>Update: check, then re-import to the same ARN ({@code ImportCertificate} with {@code CertificateArn}): the
 *       domain keeps its certificate ARN, nothing is replaced. ACM refuses some re-imports (ACM User Guide,
 *       "Reimport a certificate": another key type or size, a Key Usage or Extended Key Usage value removed, or such
 *       an extension added where the old certificate had none); it answers {@code ValidationException}. Then, and
 *       when the old certificate is gone ({@code ResourceNotFoundException}), a new certificate is imported and its
 *       ARN returned: a replacement, after which CloudFormation deletes the old one. That import is made idempotent
 *       like Create's. ACM takes no tags on a
 *       re-import, so tag changes are applied with {@code AddTagsToCertificate} and
 *       {@code RemoveTagsFromCertificate} (removing only tags the old properties set).
 *   <li>Delete: {@code DeleteCertificate}; not found is success. While the certificate is in use (the domain is
 *       still being detached) ACM answers {@code ResourceInUseException}: retried with backoff until shortly before
 *       the deadline, then FAILED naming what holds it ({@code DescribeCertificate} InUseBy).
 *   <li>Delete of a failed Create's id: a Create that failed after ImportCertificate succeeded (it timed out while
 *       ACM answered) leaves a certificate that no stack owns. The certificates tagged with that Create's RequestId
 *       and used by nothing are deleted ({@link #deleteFailedCreate}).
 * </ul>
 *
 * <p>Data: {@code CertificateArn}, {@code NotAfter} (ISO-8601 UTC), {@code Subject} (RFC 2253),
 * {@code SubjectAlternativeNames} (the DNS names, comma-separated, cut to fit the response), {@code KeyAlgorithm}
 * (ACM's name: {@code RSA_2048}, {@code EC_prime256v1}...).
 *
 * <p>The private key is never logged, never in Data and never in a Reason: Reasons come from the checker (which
 * names no key content) and from ACM's error codes and messages, from which any key line and any long base64 run is
 * removed; SDK exceptions are never attached as causes, so no stack trace of them is logged.
 */
public final class ImportedCertificateHandler extends CustomResourceHandler<ImportedCertificateProperties> {

  /**
   * Waits between DeleteCertificate attempts while the certificate is in use: 1 s doubled up to 16 s, keeping 3 s
   * after a wait for DescribeCertificate when giving up.
   */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(3));
  static final int MAX_SUBJECT_CHARS = 512;
  static final int MAX_NAMES_CHARS = 1024;
  /** ListCertificates' largest page. */
  static final int LIST_PAGE_SIZE = 1000;
  /** Bounds of the search for a certificate an earlier attempt at the same request imported. */
  static final int MAX_LIST_PAGES = 5;
  static final int MAX_TAG_LOOKUPS = 20;
  /** Time kept for ImportCertificate: the search stops (and the import goes ahead) when less is left. */
  static final Duration IMPORT_MARGIN = Duration.ofSeconds(10);
  /** Time kept, in the Delete of a failed Create, for the calls that delete a certificate found. */
  static final Duration CLEANUP_MARGIN = Duration.ofSeconds(2);

  /** ACM's error code when IAM refuses a call. */
  private static final String ACCESS_DENIED = "AccessDeniedException";
  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/=]{40,}");

  private final AcmClient acm;
  private final MaterialReader reader;
  private final CertificateChecker checker;

  /** For the Lambda runtime: the shared clients, the HTTP response sender and the system clock. */
  public ImportedCertificateHandler() {
    this(AwsClients.acm(), AwsClients.s3(), AwsClients.secretsManager(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and in-process use ({@code bin/mtls invoke}): explicit clients, response sender and clock. */
  public ImportedCertificateHandler(AcmClient acm, S3Client s3, SecretsManagerClient secretsManager,
      ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.acm = Objects.requireNonNull(acm, "acm");
    this.reader = new MaterialReader(s3, secretsManager);
    this.checker = new CertificateChecker(clock);
  }

  @Override
  protected ImportedCertificateProperties parse(ResourceProperties properties) {
    return ImportedCertificateProperties.from(properties);
  }

  @Override
  protected Outcome create(ImportedCertificateProperties properties, CustomResourceRequest request,
      Deadline deadline) {
    Material material = load(properties);
    Imported result = importNew(properties, material, request, deadline);
    Json.log(result.log(imported(request, result.arn(), material, properties)).put("reimported", false));
    return outcome(result.arn(), material);
  }

  @Override
  protected Outcome update(ImportedCertificateProperties properties, ImportedCertificateProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) {
    Material material = load(properties);
    String oldArn = request.physicalResourceId();
    if (!oldArn.startsWith("arn:")) {
      Imported result = importNew(properties, material, request, deadline);
      Json.log(result.log(imported(request, result.arn(), material, properties)).put("replaces", oldArn));
      return outcome(result.arn(), material);
    }
    try {
      acm.importCertificate(importRequest(material).certificateArn(oldArn).build());
    } catch (AcmException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (ACCESS_DENIED.equals(code)) {
        throw new CustomResourceException(scrub(AwsErrors.describe("ACM ImportCertificate (re-import to " + oldArn
            + ")", e), material) + "; " + notTagged(oldArn, request));
      }
      if (!(e instanceof ResourceNotFoundException) && !"ValidationException".equals(code)) {
        throw failure("ACM ImportCertificate (re-import to " + oldArn + ")", e, material);
      }
      // ACM refuses this re-import (or the certificate is gone): import a new one, which replaces the old.
      Imported result = importNew(properties, material, request, deadline);
      JsonObject line = result.log(imported(request, result.arn(), material, properties));
      line.put("replaces", oldArn);
      line.put("reimportRefused", scrub(AwsErrors.describe("ACM ImportCertificate", e), material));
      Json.log(line);
      return outcome(result.arn(), material);
    } catch (SdkException e) { // no answer from ACM (SdkClientException...): a Reason, not an unexpected failure
      throw failure("ACM ImportCertificate (re-import to " + oldArn + ")", e, material);
    }
    Map<String, String> oldTags = oldProperties == null ? Map.of() : oldProperties.tags();
    syncTags(oldArn, properties.tags(), oldTags, material);
    Json.log(imported(request, oldArn, material, properties).put("reimported", true));
    return outcome(oldArn, material);
  }

  @Override
  protected Outcome delete(ImportedCertificateProperties properties, CustomResourceRequest request,
      Deadline deadline) throws InterruptedException {
    String arn = request.physicalResourceId();
    if (!arn.startsWith("arn:")) {
      return Outcome.sameId(Map.of()); // never an imported certificate: nothing to delete
    }
    Backoff.Waits waits = BACKOFF.waits();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        acm.deleteCertificate(b -> b.certificateArn(arn));
        logDeleted(request, arn, attempts, false);
        return Outcome.sameId(Map.of());
      } catch (ResourceNotFoundException e) {
        logDeleted(request, arn, attempts, true);
        return Outcome.sameId(Map.of());
      } catch (ResourceInUseException e) {
        Duration wait = waits.next();
        if (!BACKOFF.fits(wait, deadline)) {
          throw new CustomResourceException("ACM DeleteCertificate " + arn + ": the certificate is still in use by "
              + inUseBy(arn) + " after " + attempts + " attempts; detach it from them (an API Gateway custom domain"
              + " releases it some minutes after it is deleted or given another certificate), then retry the"
              + " deletion (or delete the certificate yourself and skip this resource)");
        }
        Thread.sleep(wait.toMillis());
      } catch (AcmException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        throw new CustomResourceException(AwsErrors.describe("ACM DeleteCertificate " + arn, e)
            + (ACCESS_DENIED.equals(code) ? "; " + notTagged(arn, request) : ""));
      } catch (SdkException e) {
        throw new CustomResourceException(AwsErrors.describe("ACM DeleteCertificate " + arn, e));
      }
    }
  }

  /**
   * Deletes the certificates a failed Create imported: those carrying {@link
   * ImportedCertificateProperties#REQUEST_ID_TAG} with its RequestId (a UUID: no other request's) that nothing uses
   * ({@code DescribeCertificate} InUseBy empty; ACM would refuse anyway). Found by ListCertificates (every key type,
   * newest first) and ListTagsForCertificate of each imported certificate, bounded by {@link #MAX_LIST_PAGES} and
   * the deadline (keeping {@link #CLEANUP_MARGIN}). Always succeeds: a FAILED would block the stack's rollback for a
   * certificate that costs nothing; what could not be done (a search cut short, an AWS error, a certificate in use)
   * is logged as {@code imported-certificate.cleanup-incomplete}, naming the certificates left.
   */
  @Override
  protected Outcome deleteFailedCreate(String createRequestId, CustomResourceRequest request, Deadline deadline) {
    List<String> deleted = new ArrayList<>();
    List<String> left = new ArrayList<>();
    String incomplete = null;
    int pages = 0;
    int tagLookups = 0;
    try {
      String nextToken = null;
      search:
      do {
        if (pages == MAX_LIST_PAGES) {
          incomplete = "more than " + MAX_LIST_PAGES * LIST_PAGE_SIZE + " certificates";
          break;
        }
        String token = nextToken;
        ListCertificatesResponse page = acm.listCertificates(b -> b
            .includes(f -> f.keyTypes(KeyAlgorithm.knownValues())) // without it ACM lists RSA_2048 only
            .sortBy(SortBy.CREATED_AT).sortOrder(SortOrder.DESCENDING).maxItems(LIST_PAGE_SIZE).nextToken(token));
        pages++;
        for (CertificateSummary summary : page.certificateSummaryList()) {
          if (summary.type() != null && summary.type() != CertificateType.IMPORTED) {
            continue;
          }
          if (deadline.remaining().compareTo(CLEANUP_MARGIN) < 0) {
            incomplete = "the deadline came after " + tagLookups + " certificates were looked at";
            break search;
          }
          tagLookups++;
          String arn = summary.certificateArn();
          if (taggedWith(arn, createRequestId)) {
            List<String> users = acm.describeCertificate(b -> b.certificateArn(arn)).certificate().inUseBy();
            if (!users.isEmpty()) {
              left.add(arn + " (in use by " + String.join(", ", users) + ")");
              continue;
            }
            try {
              acm.deleteCertificate(b -> b.certificateArn(arn));
              deleted.add(arn);
            } catch (ResourceNotFoundException e) {
              // gone since it was listed
            } catch (ResourceInUseException e) {
              left.add(arn + " (in use)");
            }
          }
        }
        nextToken = page.nextToken();
      } while (nextToken != null && !nextToken.isEmpty());
    } catch (SdkException e) {
      incomplete = AwsErrors.describe("ACM", e);
    }
    JsonObject line = Json.line(incomplete == null && left.isEmpty() ? "imported-certificate.cleaned-up"
        : "imported-certificate.cleanup-incomplete", request);
    line.put("createRequestId", createRequestId);
    deleted.forEach(line.putArray("deleted")::add);
    left.forEach(line.putArray("left")::add);
    line.put("listPages", pages);
    line.put("tagCalls", tagLookups);
    if (incomplete != null) {
      line.put("incomplete", incomplete + "; delete any certificate tagged " + ImportedCertificateProperties
          .REQUEST_ID_TAG + "=" + createRequestId + " yourself");
    }
    Json.log(line);
    return Outcome.sameId(Map.of());
  }

  /**
   * The likely cause and fix of an AccessDeniedException on a certificate the stack holds: the role may change only
   * certificates tagged with its stack's id, and one imported before the tag existed lacks it.
   */
  private static String notTagged(String arn, CustomResourceRequest request) {
    return "the function's role may re-import and delete only certificates tagged "
        + ImportedCertificateProperties.STACK_ID_TAG + "=<this stack's id>, which the stack sets when it imports one;"
        + " if this certificate lacks it (imported by an earlier version), add it and retry: aws acm"
        + " add-tags-to-certificate --certificate-arn " + arn + " --tags Key="
        + ImportedCertificateProperties.STACK_ID_TAG + ",Value=" + request.stackId();
  }

  /** Whether the certificate carries the RequestId tag with this value; false when it is gone. */
  private boolean taggedWith(String arn, String requestId) {
    try {
      return acm.listTagsForCertificate(b -> b.certificateArn(arn)).tags().stream()
          .anyMatch(tag -> tag.key().equals(ImportedCertificateProperties.REQUEST_ID_TAG)
              && requestId.equals(tag.value()));
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  private String inUseBy(String arn) {
    try {
      List<String> users = acm.describeCertificate(b -> b.certificateArn(arn)).certificate().inUseBy();
      return users.isEmpty() ? "a resource ACM does not name (DescribeCertificate lists none yet)"
          : String.join(", ", users);
    } catch (SdkException e) {
      return "resources not known (" + AwsErrors.describe("ACM DescribeCertificate", e) + ")";
    }
  }

  /** The material, read and checked: FAILED with every problem found before any call to ACM. */
  private Material load(ImportedCertificateProperties properties) {
    byte[] certificate = reader.read(properties.certificate());
    byte[] chain = properties.chain() == null ? null : reader.read(properties.chain());
    byte[] key = reader.privateKey(properties);
    CertificateChecker.Report report = checker.report(certificate, chain, key, properties.domainName(),
        CertificateChecker.Inputs.PROPERTIES.withKey(properties.privateKeyProperty()));
    List<CertificateProblem> problems = report.problems();
    Material material = new Material(certificate, chain, key, problems.isEmpty() ? report.certificate() : null);
    if (!problems.isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (CertificateProblem problem : problems) {
        lines.add(input(problem.input(), properties) + " " + problem.code() + ": " + problem.message());
      }
      throw new CustomResourceException(scrub("The certificate material is not fit to import into ACM ("
          + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; check it locally with `bin/mtls"
          + " certificate check`): " + String.join(" | ", lines), material));
    }
    return material;
  }

  /** The property a problem is about, as the user set it (CertificateUri rather than CertificatePem...). */
  private static String input(String input, ImportedCertificateProperties properties) {
    if (input.equals(CertificateChecker.CERTIFICATE_PEM)) {
      return properties.certificate().name();
    }
    if (input.equals(CertificateChecker.CHAIN_PEM) && properties.chain() != null) {
      return properties.chain().name();
    }
    if (input.equals(properties.privateKeyProperty())) {
      return properties.privateKeyName();
    }
    return input;
  }

  /**
   * Imports a new certificate tagged with the request's RequestId, unless an earlier attempt at the same event (Lambda
   * retries a failed or timed-out asynchronous invocation with the same event) already did: then that certificate.
   */
  private Imported importNew(ImportedCertificateProperties properties, Material material,
      CustomResourceRequest request, Deadline deadline) {
    Lookup lookup = findImported(request.requestId(), material, deadline);
    if (lookup.arn() != null) {
      return new Imported(lookup.arn(), lookup, true);
    }
    List<Tag> tags = new ArrayList<>();
    properties.tags().forEach((key, value) -> tags.add(Tag.builder().key(key).value(value).build()));
    tags.add(Tag.builder().key(ImportedCertificateProperties.REQUEST_ID_TAG).value(request.requestId()).build());
    tags.add(Tag.builder().key(ImportedCertificateProperties.STACK_ID_TAG).value(request.stackId()).build());
    ImportCertificateRequest.Builder importRequest = importRequest(material).tags(tags);
    String arn = call("ACM ImportCertificate", material, () -> acm.importCertificate(importRequest.build()))
        .certificateArn();
    return new Imported(arn, lookup, false);
  }

  /**
   * The certificate an earlier attempt at this request imported, if any. ACM's ImportCertificate takes no idempotency
   * token, so its tag is looked for: ListCertificates (ISSUED, of this key type, newest first: a retry comes minutes
   * after the first attempt), then ListTagsForCertificate of each certificate with the same DomainName and NotAfter.
   * Bounded by {@link #MAX_LIST_PAGES}, {@link #MAX_TAG_LOOKUPS} and the deadline (keeping {@link #IMPORT_MARGIN} for
   * the import); a lookup cut short is logged and the import goes ahead.
   */
  private Lookup findImported(String requestId, Material material, Deadline deadline) {
    X509Certificate certificate = material.parsed();
    Set<String> names = new HashSet<>();
    CertificateChecker.dnsNames(certificate).forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
    String commonName = commonName(certificate);
    if (commonName != null) {
      names.add(commonName.toLowerCase(Locale.ROOT));
    }
    Instant notAfter = certificate.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS);
    String nextToken = null;
    int pages = 0;
    int tagLookups = 0;
    do {
      if (pages == MAX_LIST_PAGES || deadline.remaining().compareTo(IMPORT_MARGIN) < 0) {
        return new Lookup(null, pages, tagLookups, false);
      }
      String token = nextToken;
      ListCertificatesResponse page = call("ACM ListCertificates", material, () -> acm.listCertificates(b -> b
          .certificateStatuses(CertificateStatus.ISSUED)
          .includes(f -> f.keyTypesWithStrings(keyAlgorithm(certificate)))
          .sortBy(SortBy.CREATED_AT).sortOrder(SortOrder.DESCENDING)
          .maxItems(LIST_PAGE_SIZE).nextToken(token)));
      pages++;
      for (CertificateSummary summary : page.certificateSummaryList()) {
        if (summary.domainName() == null || !names.contains(summary.domainName().toLowerCase(Locale.ROOT))
            || summary.notAfter() != null && !summary.notAfter().truncatedTo(ChronoUnit.SECONDS).equals(notAfter)) {
          continue;
        }
        if (tagLookups == MAX_TAG_LOOKUPS || deadline.remaining().compareTo(IMPORT_MARGIN) < 0) {
          return new Lookup(null, pages, tagLookups, false);
        }
        tagLookups++;
        String arn = summary.certificateArn();
        List<Tag> tags;
        try {
          tags = acm.listTagsForCertificate(b -> b.certificateArn(arn)).tags();
        } catch (ResourceNotFoundException e) {
          continue; // deleted since it was listed
        } catch (SdkException e) {
          throw failure("ACM ListTagsForCertificate " + arn, e, material);
        }
        for (Tag tag : tags) {
          if (tag.key().equals(ImportedCertificateProperties.REQUEST_ID_TAG) && requestId.equals(tag.value())) {
            return new Lookup(arn, pages, tagLookups, true);
          }
        }
      }
      nextToken = page.nextToken();
    } while (nextToken != null && !nextToken.isEmpty());
    return new Lookup(null, pages, tagLookups, true);
  }

  /** The subject's CN (ACM's DomainName of an imported certificate that has one), or null. */
  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }

  /** What a search for an earlier attempt's certificate found ({@code arn}, or null) and what it cost. */
  private record Lookup(String arn, int listPages, int tagLookups, boolean complete) {
  }

  /** A certificate imported now, or ({@code reused}) by an earlier attempt at the same request. */
  private record Imported(String arn, Lookup lookup, boolean reused) {
    JsonObject log(JsonObject line) {
      line.put("reusedFromEarlierAttempt", reused);
      line.put("lookupListPages", lookup.listPages());
      line.put("lookupTagCalls", lookup.tagLookups());
      line.put("lookupComplete", lookup.complete());
      return line;
    }
  }

  private static ImportCertificateRequest.Builder importRequest(Material material) {
    ImportCertificateRequest.Builder request = ImportCertificateRequest.builder()
        .certificate(SdkBytes.fromByteArray(material.certificate()))
        .privateKey(SdkBytes.fromByteArray(material.privateKey()));
    if (material.chain() != null) {
      request.certificateChain(SdkBytes.fromByteArray(material.chain()));
    }
    return request;
  }

  /** Sets the tags wanted; removes those the old properties set and the new ones do not (others are left alone). */
  private void syncTags(String arn, Map<String, String> wanted, Map<String, String> old, Material material) {
    Map<String, String> current = new LinkedHashMap<>();
    call("ACM ListTagsForCertificate " + arn, material, () -> acm.listTagsForCertificate(b -> b.certificateArn(arn)))
        .tags().forEach(tag -> current.put(tag.key(), tag.value() == null ? "" : tag.value()));
    List<Tag> add = new ArrayList<>();
    wanted.forEach((key, value) -> {
      if (!value.equals(current.get(key))) {
        add.add(Tag.builder().key(key).value(value).build());
      }
    });
    List<Tag> remove = new ArrayList<>();
    old.keySet().forEach(key -> {
      if (!wanted.containsKey(key) && current.containsKey(key)) {
        remove.add(Tag.builder().key(key).build());
      }
    });
    if (!remove.isEmpty()) {
      call("ACM RemoveTagsFromCertificate " + arn, material,
          () -> acm.removeTagsFromCertificate(b -> b.certificateArn(arn).tags(remove)));
    }
    if (!add.isEmpty()) {
      call("ACM AddTagsToCertificate " + arn, material,
          () -> acm.addTagsToCertificate(b -> b.certificateArn(arn).tags(add)));
    }
  }

  private static <T> T call(String operation, Material material, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw failure(operation, e, material);
    }
  }

  /** A Reason from the SDK's error code and message, without any part of the key; the exception is not attached. */
  private static CustomResourceException failure(String operation, SdkException e, Material material) {
    return new CustomResourceException(scrub(AwsErrors.describe(operation, e), material));
  }

  /** Removes from {@code text} every line of the key and every run of 40 or more base64 characters. */
  static String scrub(String text, Material material) {
    String scrubbed = text;
    for (String line : new String(material.privateKey(), StandardCharsets.UTF_8).split("\\R")) {
      String content = line.strip();
      if (content.length() >= 8 && !content.startsWith("-----")) {
        scrubbed = scrubbed.replace(content, "[redacted]");
      }
    }
    return BASE64_RUN.matcher(scrubbed).replaceAll("[redacted]");
  }

  private static Outcome outcome(String arn, Material material) {
    X509Certificate certificate = material.parsed();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("CertificateArn", arn);
    data.put("NotAfter", certificate.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
    data.put("Subject", cut(certificate.getSubjectX500Principal().getName(), MAX_SUBJECT_CHARS));
    data.put("SubjectAlternativeNames", names(CertificateChecker.dnsNames(certificate)));
    data.put("KeyAlgorithm", keyAlgorithm(certificate));
    return Outcome.of(arn, data);
  }

  /** The names, comma-separated; when they do not fit, as many as fit and {@code ,...(N more)}. */
  static String names(List<String> names) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      String next = (i == 0 ? "" : ",") + names.get(i);
      String more = ",...(" + (names.size() - i) + " more)";
      boolean last = i == names.size() - 1;
      if (text.length() + next.length() + (last ? 0 : more.length()) > MAX_NAMES_CHARS) {
        return text.append(i == 0 ? more.substring(1) : more).toString();
      }
      text.append(next);
    }
    return text.toString();
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }

  /** ACM's name of the key algorithm (DescribeCertificate KeyAlgorithm). */
  static String keyAlgorithm(X509Certificate certificate) {
    if (certificate.getPublicKey() instanceof RSAPublicKey rsa) {
      return "RSA_" + rsa.getModulus().bitLength();
    }
    if (certificate.getPublicKey() instanceof ECPublicKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> "EC_prime256v1";
        case 384 -> "EC_secp384r1";
        case 521 -> "EC_secp521r1";
        default -> "EC";
      };
    }
    return certificate.getPublicKey().getAlgorithm();
  }

  /** The log line of an import, to complete and write. */
  private static JsonObject imported(CustomResourceRequest request, String arn, Material material,
      ImportedCertificateProperties properties) {
    JsonObject line = Json.line("imported-certificate.imported", request);
    line.put("certificateArn", arn);
    line.put("subject", material.parsed().getSubjectX500Principal().getName());
    line.put("notAfter", material.parsed().getNotAfter().toInstant().toString());
    line.put("certificate", properties.certificate().name());
    line.put("privateKey", properties.privateKeyName());
    line.put("tags", properties.tags().size());
    return line;
  }

  private static void logDeleted(CustomResourceRequest request, String arn, int attempts, boolean alreadyGone) {
    JsonObject line = Json.line("imported-certificate.deleted", request);
    line.put("certificateArn", arn);
    line.put("attempts", attempts);
    line.put("alreadyGone", alreadyGone);
    Json.log(line);
  }

  /** The material as read; {@code parsed} is the server certificate, set once the checks passed. */
  record Material(byte[] certificate, byte[] chain, byte[] privateKey, X509Certificate parsed) {
    @Override
    public String toString() {
      return "Material[certificate " + certificate.length + " bytes, key not shown]";
    }
  }
}
