package io.tracecast.training.registry;

import io.tracecast.common.IdPaths;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Job and model ids become single path segments under the registry root. Real ids need more
 * than a whitelist (Azure VM ids are base64 with '/', '+' and '='), so instead of rejecting we
 * percent-encode every UTF-8 byte outside {@code [A-Za-z0-9._-]}, and also a first character
 * that is not a letter or digit. So no encoded id is empty, contains a separator, is "." or
 * "..", or starts with '.' or '_', which keeps the registry's own names ({@code .staging-*},
 * {@code _aliases.json}) out of the id space. Empty ids and control characters are rejected:
 * they are bugs upstream, not names. An id whose encoding exceeds a file name's 255 bytes is
 * shortened first by the ETL's rule for ids in paths ({@link IdPaths#fit}: readable prefix plus
 * a hash); {@link #decode} then gives the shortened id, and the registry takes the whole one
 * from the version's metadata.
 */
public final class RegistryNames {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RegistryNames() {}

  /** The path segment for {@code id}; {@code what} ("job", "model", "alias") names it in errors. */
  public static String encode(String id, String what) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(what + " id must not be empty");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(what + " id '" + id.replaceAll("\\p{Cntrl}", "?")
            + "' contains a control character (byte " + (int) c + ")");
      }
    }
    return percentEncode(IdPaths.fit(id, RegistryNames::percentEncode, IdPaths.MAX_NAME_BYTES));
  }

  private static String percentEncode(String id) {
    StringBuilder sb = new StringBuilder();
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
      boolean safe = alnum || (i > 0 && (b == '.' || b == '_' || b == '-'));
      if (safe) {
        sb.append((char) b);
      } else {
        sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
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
