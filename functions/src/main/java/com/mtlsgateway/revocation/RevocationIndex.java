package com.mtlsgateway.revocation;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import javax.security.auth.x500.X500Principal;

/**
 * The revocation index: per CA of the truststore, its revoked serial numbers and its CRL's nextUpdate, in one
 * compact binary object the authorizer loads in milliseconds and searches in well under a microsecond.
 *
 * <p>Layout (big-endian; {@code str} is a u16 length and that many bytes):
 * <pre>
 *   "MTLSRIX1"                          magic and format version
 *   u32 issuerCount
 *   issuerCount times:
 *     str subject (DER Name)  str keyId  u8 hasCrl
 *     if hasCrl:
 *       str source (UTF-8)  i64 thisUpdate  i64 nextUpdate (epoch seconds)  str cRLNumber (two's complement, may
 *       be empty)  u8 groupCount
 *       groupCount times: u8 serialLength  u32 count  count * serialLength bytes, sorted as unsigned bytes
 *   u32 CRC32C of everything above
 * </pre>
 * Serials are stored as {@link BigInteger#toByteArray()} gives them, grouped by length, so that a lookup is a
 * binary search over fixed-width records with no object per serial: 1,000,000 serials of 16 bytes take 16 MB.
 * The bytes depend only on the CAs and CRLs (no timestamp), so an unchanged input gives an identical object and
 * the staged version is reused.
 */
public final class RevocationIndex {

  /** The largest index read (bytes): about 6 million 20-byte serials; past it a CA should partition its CAs. */
  public static final int MAX_BYTES = 128 * 1024 * 1024;
  private static final byte[] MAGIC = "MTLSRIX1".getBytes(StandardCharsets.US_ASCII);
  private static final int CHECKSUM_BYTES = 4;

  /** One CA of a loaded index. */
  public static final class Issuer {
    private final byte[] bytes;
    private final int subjectFrom;
    private final int subjectTo;
    private final byte[] keyId;
    private final String source;
    private final Instant thisUpdate;
    private final Instant nextUpdate;
    private final BigInteger number;
    /** Per serial length (index), the offset of the group's first serial, or -1; and the count. */
    private final int[] groupOffset;
    private final int[] groupCount;
    private final int revokedCount;

    private Issuer(byte[] bytes, int subjectFrom, int subjectTo, byte[] keyId, String source, Instant thisUpdate,
        Instant nextUpdate, BigInteger number, int[] groupOffset, int[] groupCount, int revokedCount) {
      this.bytes = bytes;
      this.subjectFrom = subjectFrom;
      this.subjectTo = subjectTo;
      this.keyId = keyId;
      this.source = source;
      this.thisUpdate = thisUpdate;
      this.nextUpdate = nextUpdate;
      this.number = number;
      this.groupOffset = groupOffset;
      this.groupCount = groupCount;
      this.revokedCount = revokedCount;
    }

    /** Whether a CRL was given for this CA. */
    public boolean hasCrl() {
      return source != null;
    }

    /** Where its CRL was read from, or empty. */
    public Optional<String> source() {
      return Optional.ofNullable(source);
    }

    /** Its CRL's nextUpdate, or empty without a CRL. */
    public Optional<Instant> nextUpdate() {
      return Optional.ofNullable(nextUpdate);
    }

    /** Its CRL's thisUpdate, or empty without a CRL. */
    public Optional<Instant> thisUpdate() {
      return Optional.ofNullable(thisUpdate);
    }

    /** Its CRL's cRLNumber, or empty. */
    public Optional<BigInteger> number() {
      return Optional.ofNullable(number);
    }

    /** How many serials its CRL revokes. */
    public int revokedCount() {
      return revokedCount;
    }

    /** The subject as an RFC 2253 string. */
    public String subjectName() {
      return new X500Principal(Arrays.copyOfRange(bytes, subjectFrom, subjectTo)).getName();
    }

    /** Whether {@code serial} (as {@link BigInteger#toByteArray()} gives it) is revoked by this CA's CRL. */
    public boolean revoked(byte[] serial) {
      int length = serial.length;
      if (length >= groupOffset.length || groupOffset[length] < 0) {
        return false;
      }
      int base = groupOffset[length];
      int low = 0;
      int high = groupCount[length] - 1;
      while (low <= high) {
        int middle = (low + high) >>> 1;
        int at = base + middle * length;
        int order = Arrays.compareUnsigned(bytes, at, at + length, serial, 0, length);
        if (order < 0) {
          low = middle + 1;
        } else if (order > 0) {
          high = middle - 1;
        } else {
          return true;
        }
      }
      return false;
    }

    /** Whether this CA's CRL is past nextUpdate plus {@code grace} at {@code now}. */
    boolean stale(Instant now, Duration grace) {
      return nextUpdate != null && now.isAfter(nextUpdate.plus(grace));
    }
  }

  /**
   * The outcome for one client certificate.
   *
   * @param check what was found
   * @param issuer the CA that decided it, or null when none did (unknown issuer)
   */
  public record Result(RevocationCheck check, Issuer issuer) {}

  private final List<Issuer> issuers;
  /** By the DER subject (as a string of ISO-8859-1 chars, one per byte: a cheap exact key). */
  private final Map<String, List<Issuer>> bySubject;
  /** By the canonical RFC 2253 form of the subject, for issuers encoded differently in a client certificate. */
  private final Map<String, List<Issuer>> byCanonicalSubject;
  private final int size;

  private RevocationIndex(List<Issuer> issuers, int size) {
    this.issuers = List.copyOf(issuers);
    this.size = size;
    this.bySubject = new HashMap<>();
    this.byCanonicalSubject = new HashMap<>();
    for (Issuer issuer : issuers) {
      bySubject.computeIfAbsent(exactKey(issuer.bytes, issuer.subjectFrom, issuer.subjectTo),
          k -> new ArrayList<>(1)).add(issuer);
      byCanonicalSubject.computeIfAbsent(canonical(issuer.bytes, issuer.subjectFrom, issuer.subjectTo),
          k -> new ArrayList<>(1)).add(issuer);
    }
  }

  /**
   * Checks one client certificate: finds its issuing CA by issuer name (and, among CAs of the same name, by key
   * identifier), then whether that CA's CRL lists the serial and whether the CRL is still fresh.
   *
   * <p>A serial is judged only against its own issuer's CRL (serials are unique per issuer only, RFC 5280 4.1.2.2).
   * When several CAs share the name and the key identifier does not single one out, the certificate is denied if
   * any of them revokes the serial or has a stale CRL: the safe side.
   *
   * @param grace how long past nextUpdate a CRL is still used
   */
  public Result check(ClientCertificate client, Instant now, Duration grace) {
    byte[] issuerName = client.issuer();
    List<Issuer> candidates = bySubject.get(exactKey(issuerName, 0, issuerName.length));
    if (candidates == null) {
      candidates = byCanonicalSubject.get(canonical(issuerName, 0, issuerName.length));
      if (candidates == null) {
        return new Result(RevocationCheck.UNKNOWN_ISSUER, null);
      }
    }
    candidates = byKeyId(candidates, client.authorityKeyIdUnsafe());
    byte[] serial = client.serialUnsafe();
    Issuer stale = null;
    Issuer withCrl = null;
    Issuer withoutCrl = null;
    for (Issuer issuer : candidates) {
      if (!issuer.hasCrl()) {
        withoutCrl = issuer;
      } else if (issuer.revoked(serial)) {
        return new Result(RevocationCheck.REVOKED, issuer);
      } else {
        stale = issuer.stale(now, grace) ? issuer : stale;
        withCrl = withCrl == null ? issuer : withCrl;
      }
    }
    if (stale != null) {
      return new Result(RevocationCheck.CRL_STALE, stale);
    }
    // Among same-named CAs, one without a CRL may be the issuer: then nothing checked this certificate.
    return withoutCrl != null
        ? new Result(RevocationCheck.CA_WITHOUT_CRL, withoutCrl)
        : new Result(RevocationCheck.NOT_REVOKED, withCrl);
  }

  /** The candidates whose key id is the client's authority key id; all of them when none (or no id) matches. */
  private static List<Issuer> byKeyId(List<Issuer> candidates, byte[] authorityKeyId) {
    if (candidates.size() == 1 || authorityKeyId == null) {
      return candidates;
    }
    List<Issuer> matching = new ArrayList<>(1);
    for (Issuer issuer : candidates) {
      if (Arrays.equals(issuer.keyId, authorityKeyId)) {
        matching.add(issuer);
      }
    }
    return matching.isEmpty() ? candidates : matching;
  }

  /** Every CA, in index order. */
  public List<Issuer> issuers() {
    return issuers;
  }

  /** The number of revoked serials over all CAs. */
  public long revokedCount() {
    return issuers.stream().mapToLong(Issuer::revokedCount).sum();
  }

  /** The earliest nextUpdate of the CRLs, or empty when there is no CRL. */
  public Optional<Instant> earliestNextUpdate() {
    return issuers.stream().map(i -> i.nextUpdate).filter(t -> t != null).min(Comparator.naturalOrder());
  }

  /** The object's size in bytes. */
  public int size() {
    return size;
  }

  /**
   * Writes an index. Serials are de-duplicated and sorted; issuers keep their order.
   *
   * @return the object's bytes, deterministic for the same input
   */
  public static byte[] write(List<IssuerEntry> entries) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.write(MAGIC);
      out.writeInt(entries.size());
      for (IssuerEntry entry : entries) {
        writeBytes(out, entry.subject());
        writeBytes(out, entry.keyId());
        IssuerEntry.Crl crl = entry.crl();
        out.writeByte(crl == null ? 0 : 1);
        if (crl != null) {
          writeBytes(out, crl.source().getBytes(StandardCharsets.UTF_8));
          out.writeLong(crl.thisUpdate().getEpochSecond());
          out.writeLong(crl.nextUpdate().getEpochSecond());
          writeBytes(out, crl.number() == null ? new byte[0] : crl.number().toByteArray());
          writeGroups(out, crl.serials());
        }
      }
      out.flush();
      out.writeInt(checksum(buffer.toByteArray(), buffer.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return buffer.toByteArray();
  }

  private static void writeGroups(DataOutputStream out, List<byte[]> serials) throws IOException {
    Map<Integer, List<byte[]>> byLength = new TreeMap<>();
    for (byte[] serial : serials) {
      if (serial.length == 0 || serial.length > 255) {
        throw new IllegalArgumentException("a serial number must be 1 to 255 bytes long");
      }
      byLength.computeIfAbsent(serial.length, k -> new ArrayList<>()).add(serial);
    }
    out.writeByte(byLength.size());
    for (Map.Entry<Integer, List<byte[]>> group : byLength.entrySet()) {
      List<byte[]> sorted = new ArrayList<>(group.getValue());
      sorted.sort(Arrays::compareUnsigned);
      List<byte[]> unique = new ArrayList<>(sorted.size());
      for (byte[] serial : sorted) {
        if (unique.isEmpty() || !Arrays.equals(unique.get(unique.size() - 1), serial)) {
          unique.add(serial);
        }
      }
      out.writeByte(group.getKey());
      out.writeInt(unique.size());
      for (byte[] serial : unique) {
        out.write(serial);
      }
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException("a field of the index is longer than 65,535 bytes");
    }
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  /**
   * Reads an index object, checking its CRC32C trailer first. A checksum rather than a digest: it guards against a
   * truncated or damaged object (who may write the object is IAM's business), and SHA-256 of 16 MB costs about a
   * second on the C1-only JVM Lambda starts, where CRC32C costs milliseconds.
   *
   * @throws IllegalArgumentException when it is not a complete index of this format; the message says what is
   *     wrong
   */
  public static RevocationIndex read(byte[] bytes) {
    if (bytes.length < MAGIC.length + 4 + CHECKSUM_BYTES || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0,
        MAGIC.length)) {
      throw new IllegalArgumentException("it is not a revocation index of this format (no MTLSRIX1 header)");
    }
    int contentEnd = bytes.length - CHECKSUM_BYTES;
    if (checksum(bytes, contentEnd) != ByteBuffer.wrap(bytes, contentEnd, CHECKSUM_BYTES).getInt()) {
      throw new IllegalArgumentException("its CRC32C trailer does not match its content (truncated or damaged)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, contentEnd);
    try {
      in.position(MAGIC.length);
      int count = in.getInt();
      if (count < 0 || count > 100_000) {
        throw new IllegalArgumentException("it claims " + count + " issuers");
      }
      List<Issuer> issuers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        issuers.add(readIssuer(bytes, in));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("it has " + in.remaining() + " bytes after its last issuer");
      }
      return new RevocationIndex(issuers, bytes.length);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("it ends in the middle of an issuer");
    }
  }

  private static Issuer readIssuer(byte[] bytes, ByteBuffer in) {
    int subjectLength = in.getShort() & 0xFFFF;
    int subjectFrom = in.position();
    if (subjectLength > in.remaining()) {
      throw new BufferUnderflowException();
    }
    in.position(subjectFrom + subjectLength);
    byte[] keyId = readBytes(in);
    if (in.get() == 0) {
      return new Issuer(bytes, subjectFrom, subjectFrom + subjectLength, keyId, null, null, null, null, new int[0],
          new int[0], 0);
    }
    String source = new String(readBytes(in), StandardCharsets.UTF_8);
    Instant thisUpdate = Instant.ofEpochSecond(in.getLong());
    Instant nextUpdate = Instant.ofEpochSecond(in.getLong());
    byte[] number = readBytes(in);
    int groups = in.get() & 0xFF;
    int[] offsets = new int[256];
    int[] counts = new int[256];
    Arrays.fill(offsets, -1);
    int total = 0;
    for (int g = 0; g < groups; g++) {
      int length = in.get() & 0xFF;
      int n = in.getInt();
      if (length == 0 || n < 0 || (long) n * length > in.remaining() || offsets[length] >= 0) {
        throw new IllegalArgumentException("it has a malformed group of serial numbers");
      }
      offsets[length] = in.position();
      counts[length] = n;
      in.position(in.position() + n * length);
      total += n;
    }
    return new Issuer(bytes, subjectFrom, subjectFrom + subjectLength, keyId, source, thisUpdate, nextUpdate,
        number.length == 0 ? null : new BigInteger(number), offsets, counts, total);
  }

  private static byte[] readBytes(ByteBuffer in) {
    byte[] value = new byte[in.getShort() & 0xFFFF];
    in.get(value);
    return value;
  }

  private static int checksum(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  private static String exactKey(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static String canonical(byte[] bytes, int from, int to) {
    try {
      return new X500Principal(Arrays.copyOfRange(bytes, from, to)).getName(X500Principal.CANONICAL);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
