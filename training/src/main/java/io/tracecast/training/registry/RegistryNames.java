package io.tracecast.training.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Job and model ids become single path segments under the registry root. Real ids need more
 * than a whitelist (Azure VM ids are base64 with '/', '+' and '='), so instead of rejecting we
 * percent-encode every UTF-8 byte outside {@code [A-Za-z0-9._-]}, and also a first character
 * that is not a letter or digit. So no encoded id is empty, contains a separator, is "." or
 * "..", or starts with '.' or '_', which keeps the registry's own names ({@code .staging-*},
 * {@code _aliases.json}) out of the id space. Empty ids and control characters are rejected:
 * they are bugs upstream, not names.
 */
public final class RegistryNames {
  private static final int MAX_ENCODED_LENGTH = 255;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RegistryNames() {}

  /** The path segment for {@code id}; {@code what} ("job", "model", "alias") names it in errors. */
  public static String encode(String id, String what) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(what + " id must not be empty");
    }
    StringBuilder sb = new StringBuilder();
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b < 0x20 || b == 0x7f) {
        throw new IllegalArgumentException(what + " id '" + id.replaceAll("\\p{Cntrl}", "?")
            + "' contains a control character (byte " + b + ")");
      }
      boolean alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
      boolean safe = alnum || (i > 0 && (b == '.' || b == '_' || b == '-'));
      if (safe) {
        sb.append((char) b);
      } else {
        sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    if (sb.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException(what + " id is too long: " + sb.length()
          + " characters encoded, at most " + MAX_ENCODED_LENGTH);
    }
    return sb.toString();
  }

  /** The id a path segment written by {@link #encode} stands for, or null for other names. */
  public static String decode(String segment) {
    if (segment.isEmpty() || !Character.isLetterOrDigit(segment.charAt(0))
        && segment.charAt(0) != '%') {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        int v = hi * 16 + lo;
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(v);
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
