package io.tracecast.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The one rule for turning a trace id (job, series, model: any text, any length) into a path
 * component. Each writer escapes ids its own way (Spark's partition escaping for
 * {@code job=<id>} directories, the registry's percent-encoding); this class decides which id
 * to escape so that the escaped component fits a filesystem's 255-byte limit on a name:
 *
 * <ul>
 *   <li>an id whose escaped form fits is kept as is, so datasets and registries written before
 *       this rule keep their paths;
 *   <li>a longer one becomes a readable prefix of it, {@value #MARK} and the first 16 hex digits
 *       of the SHA-256 of the whole id (64 bits: distinct long ids never share a path in
 *       practice), cut so that the escaped result fits.
 * </ul>
 *
 * The full id is never recovered from the path: it stays in the data (the {@code job_id} and
 * {@code series_id} columns, the manifest, a model's metadata), and readers take it from there.
 */
public final class IdPaths {
  /** Longest file or directory name, in bytes, on ext4, XFS, APFS, NTFS and HDFS's default. */
  public static final int MAX_NAME_BYTES = 255;
  /** Separates the readable prefix from the hash in a shortened id. */
  public static final String MARK = "~";
  private static final int HASH_HEX_DIGITS = 16;
  private static final Pattern SHORTENED = Pattern.compile(".*" + Pattern.quote(MARK)
      + "[0-9a-f]{" + HASH_HEX_DIGITS + "}");

  private IdPaths() {}

  /**
   * {@code id}, or its shortened form, such that {@code escape.apply(result)} has at most
   * {@code maxBytes} UTF-8 bytes.
   *
   * @param escape how the caller turns the result into a path component (identity if none)
   * @param maxBytes room for the escaped id in the component (255 less any {@code job=})
   */
  public static String fit(String id, UnaryOperator<String> escape, int maxBytes) {
    if (utf8Bytes(escape.apply(id)) <= maxBytes) {
      return id;
    }
    String suffix = MARK + hash(id);
    int budget = maxBytes - utf8Bytes(escape.apply(suffix));
    if (budget < 0) {
      throw new IllegalArgumentException("no room for an id in " + maxBytes + " bytes");
    }
    // the longest prefix, on a code point boundary, whose escaped form leaves room for the hash
    int end = 0;
    while (end < id.length()) {
      int next = id.offsetByCodePoints(end, 1);
      if (utf8Bytes(escape.apply(id.substring(0, next))) > budget) {
        break;
      }
      end = next;
    }
    return id.substring(0, end) + suffix;
  }

  /** Whether a path component's id looks like one {@link #fit} shortened. */
  public static boolean isShortened(String id) {
    return id != null && SHORTENED.matcher(id).matches();
  }

  static int utf8Bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String hash(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, HASH_HEX_DIGITS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
