package com.mtlsgateway.certificate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER (ITU-T X.690) to re-wrap a PKCS#1 or SEC1 private key as PKCS#8 (and, in {@code bin/mtls}, to
 * write demo certificates): single-byte tags, definite lengths. Not a general ASN.1 parser.
 */
public final class Der {

  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OBJECT_IDENTIFIER = 0x06;
  public static final int SEQUENCE = 0x30;
  /** {@code [0]} constructed, context-specific: SEC1's {@code parameters}. */
  static final int CONTEXT_0 = 0xA0;
  /** {@code [1]} constructed, context-specific: SEC1's {@code publicKey}. */
  static final int CONTEXT_1 = 0xA1;

  private Der() {}

  /** Malformed DER. The message never holds the input's bytes. */
  static final class DerException extends Exception {
    private static final long serialVersionUID = 1L;

    DerException(String message) {
      super(message);
    }
  }

  /**
   * One tag-length-value.
   *
   * @param tag the tag byte
   * @param source the array the element was read from
   * @param start offset of the tag byte
   * @param contentStart offset of the first content byte
   * @param end offset just past the element
   */
  record Element(int tag, byte[] source, int start, int contentStart, int end) {

    /** The whole element, tag and length included. */
    byte[] encoded() {
      return Arrays.copyOfRange(source, start, end);
    }

    byte[] content() {
      return Arrays.copyOfRange(source, contentStart, end);
    }

    /** A reader over the content (for a SEQUENCE or a constructed context-specific element). */
    Reader children() {
      return new Reader(source, contentStart, end);
    }
  }

  /** Reads consecutive elements from a range of an array. */
  static final class Reader {
    private final byte[] source;
    private final int end;
    private int position;

    Reader(byte[] source) {
      this(source, 0, source.length);
    }

    private Reader(byte[] source, int start, int end) {
      this.source = source;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    Element next() throws DerException {
      if (position + 2 > end) {
        throw new DerException("truncated element");
      }
      int start = position;
      int tag = source[position++] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new DerException("multi-byte tag");
      }
      int length = source[position++] & 0xff;
      if (length == 0x80) {
        throw new DerException("indefinite length (BER, not DER)");
      }
      if (length > 0x80) {
        int count = length & 0x7f;
        if (count > 3 || position + count > end) {
          throw new DerException("bad length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (source[position++] & 0xff);
        }
      }
      if (length > end - position) {
        throw new DerException("element longer than its container");
      }
      int contentStart = position;
      position += length;
      return new Element(tag, source, start, contentStart, position);
    }

    /** The next element, which must have this tag. */
    Element next(int tag, String what) throws DerException {
      Element element = next();
      if (element.tag() != tag) {
        throw new DerException(what + " expected");
      }
      return element;
    }
  }

  /** One element: {@code tag}, the DER length of the concatenated {@code contents}, the contents. */
  public static byte[] element(int tag, byte[]... contents) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : contents) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
      out.write(0x80 | bytes);
      for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
        out.write((length >>> shift) & 0xff);
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  /** Dotted form of an OBJECT IDENTIFIER's content, e.g. {@code 1.2.840.10045.2.1}. */
  static String oid(byte[] content) throws DerException {
    if (content.length == 0) {
      throw new DerException("empty object identifier");
    }
    StringBuilder dotted = new StringBuilder();
    long value = 0;
    boolean first = true;
    for (int i = 0; i < content.length; i++) {
      value = (value << 7) | (content[i] & 0x7f);
      if (value > (1L << 56)) {
        throw new DerException("object identifier arc too large");
      }
      if ((content[i] & 0x80) == 0) {
        if (first) {
          long top = Math.min(value / 40, 2);
          dotted.append(top).append('.').append(value - 40 * top);
          first = false;
        } else {
          dotted.append('.').append(value);
        }
        value = 0;
      } else if (i == content.length - 1) {
        throw new DerException("truncated object identifier");
      }
    }
    return dotted.toString();
  }
}
