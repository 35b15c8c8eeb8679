package io.tracecast.evaluation.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Safe, stable file names from ids that come from traces and may hold any character: a
 * readable ASCII slug plus 8 hex digits of the id's SHA-256, so {@code web/1} and
 * {@code web_1} (same slug) still get different files, and re-running names them the same.
 */
final class FileSlug {

  private static final int MAX_SLUG_CHARS = 40;

  private FileSlug() {}

  /** E.g. {@code of("forecast", "Web Frontend/1")} = {@code forecast-web-frontend-1-3f2a9c1b}. */
  static String of(String prefix, String id) {
    String slug = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    if (slug.length() > MAX_SLUG_CHARS) {
      slug = slug.substring(0, MAX_SLUG_CHARS).replaceAll("-+$", "");
    }
    return prefix + (slug.isEmpty() ? "" : "-" + slug) + "-" + shortHash(id);
  }

  private static String shortHash(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
