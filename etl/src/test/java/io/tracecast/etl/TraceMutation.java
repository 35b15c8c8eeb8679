package io.tracecast.etl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Ways to damage a real trace file, for the fuzz test. Each kind takes the seed's lines and a
 * {@link Random} seeded from the case id, so a case id always gives the same bytes. Line
 * mutations work on text lines and join them with {@code \n}; byte mutations work on the
 * encoded file (plain or gzip).
 */
enum TraceMutation {
  TRUNCATED_GZIP, CORRUPT_GZIP, FLIPPED_BYTES, TRUNCATED_TEXT, SHUFFLED_LINES, DUPLICATED_LINES,
  SWAPPED_COLUMNS, WRONG_SEPARATOR, HUGE_AND_NEGATIVE_NUMBERS, NAN_AND_INFINITY, BOM,
  LINE_ENDINGS, EMPTY_LINES, HEADER_IN_MIDDLE, DROPPED_AND_EXTRA_FIELDS, HOSTILE_IDS,
  LONG_LINE, NOTHING_LEFT, BINARY_JUNK, COMBINED;

  /** The seed file: its lines, field separator and a header line to insert where it hurts. */
  record Seed(String name, List<String> lines, char separator, String header) {}

  static final List<String> NON_FINITE = List.of("NaN", "nan", "NAN", "-NaN", "+NaN", "nan(ind)",
      "Infinity", "-Infinity", "+Infinity", "infinity", "INF", "inf", "-inf", "+inf", "Inf",
      "1e999", "-1e999", "1E+400", "∞", "-∞", "#N/A", "null", "NULL", "None", "NA", "");
  static final List<String> HUGE = List.of("1e308", "-1e308", "9223372036854775807",
      "-9223372036854775808", "9223372036854775808", "99999999999999999999999999", "-1", "-0",
      "-0.0", "1e-320", "4.9e-324", "0x1p3", "1e18", "-1e18", "1_000", "１２", "1,5", "00000001",
      "+7", ".5", "5.", "1e", "--1", "1d", "0b101");
  static final List<String> HOSTILE = List.of("../../etc/passwd", "/", "a/b", "%2e%2e%2f",
      "'\"", "<script>alert(1)</script>", "ünïcødé-雲-🚀", "job=1", ".", "..", "_aliases",
      "\u202Eevil", "x".repeat(300), "y".repeat(1000), " ", "\\\\server\\share");

  /** The mutated file's bytes. */
  byte[] apply(Seed seed, Random random) {
    return switch (this) {
      case TRUNCATED_GZIP -> {
        byte[] gz = gzip(join(seed.lines()));
        yield java.util.Arrays.copyOf(gz, 2 + random.nextInt(gz.length - 2));
      }
      case CORRUPT_GZIP -> {
        byte[] gz = gzip(join(seed.lines()));
        // past the 10-byte header, so it is still recognised as gzip
        int at = 10 + random.nextInt(gz.length - 10);
        gz[at] ^= (byte) (1 + random.nextInt(255));
        yield gz;
      }
      case FLIPPED_BYTES -> {
        byte[] bytes = join(seed.lines());
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield bytes;
      }
      case TRUNCATED_TEXT -> {
        byte[] bytes = join(seed.lines());
        yield java.util.Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
      }
      case BINARY_JUNK -> {
        byte[] bytes = new byte[1 + random.nextInt(4096)];
        random.nextBytes(bytes);
        yield bytes;
      }
      case NOTHING_LEFT -> switch (random.nextInt(4)) {
        case 0 -> new byte[0];
        case 1 -> gzip(new byte[0]);
        case 2 -> utf8(seed.header() + "\n");
        default -> utf8("\n\n \n");
      };
      case COMBINED -> {
        List<String> lines = new ArrayList<>(seed.lines());
        for (int i = 2 + random.nextInt(3); i > 0; i--) {
          lines = lineMutation(random).mutate(seed, lines, random);
        }
        byte[] bytes = join(lines);
        yield random.nextBoolean() ? gzip(bytes) : bytes;
      }
      default -> {
        byte[] bytes = join(mutate(seed, new ArrayList<>(seed.lines()), random));
        yield random.nextInt(4) == 0 ? gzip(bytes) : bytes;
      }
    };
  }

  private static TraceMutation lineMutation(Random random) {
    TraceMutation[] lineKinds = {SHUFFLED_LINES, DUPLICATED_LINES, SWAPPED_COLUMNS,
        WRONG_SEPARATOR, HUGE_AND_NEGATIVE_NUMBERS, NAN_AND_INFINITY, BOM, EMPTY_LINES,
        HEADER_IN_MIDDLE, DROPPED_AND_EXTRA_FIELDS, HOSTILE_IDS};
    return lineKinds[random.nextInt(lineKinds.length)];
  }

  /** A line mutation; {@link #LINE_ENDINGS} and {@link #BOM} join the lines themselves. */
  private List<String> mutate(Seed seed, List<String> lines, Random random) {
    int n = lines.size();
    String sep = String.valueOf(seed.separator());
    switch (this) {
      case SHUFFLED_LINES -> Collections.shuffle(lines, random);
      case DUPLICATED_LINES -> {
        for (int i = 1 + random.nextInt(n); i > 0; i--) {
          int at = random.nextInt(lines.size());
          lines.add(random.nextInt(lines.size() + 1), lines.get(at));
        }
      }
      case SWAPPED_COLUMNS -> {
        boolean all = random.nextBoolean();
        int a = random.nextInt(8);
        int b = random.nextInt(8);
        for (int i = 0; i < n; i++) {
          if (all || random.nextInt(10) == 0) {
            lines.set(i, swap(lines.get(i), seed.separator(), a, b));
          }
        }
      }
      case WRONG_SEPARATOR -> {
        String[] others = {";", ",", "\t", "|", " ", ";\t", ", ", ""};
        String other = others[random.nextInt(others.length)];
        boolean all = random.nextBoolean();
        for (int i = 0; i < n; i++) {
          if (all || random.nextInt(5) == 0) {
            lines.set(i, lines.get(i).replace(sep, other));
          }
        }
      }
      case HUGE_AND_NEGATIVE_NUMBERS -> replaceFields(lines, seed, random, HUGE);
      case NAN_AND_INFINITY -> replaceFields(lines, seed, random, NON_FINITE);
      case HOSTILE_IDS -> replaceFields(lines, seed, random, HOSTILE);
      case BOM -> {
        // at the start of the file, as Windows tools write it, and sometimes inside
        lines.set(0, "\uFEFF" + lines.get(0));
        if (random.nextBoolean()) {
          int at = random.nextInt(n);
          lines.set(at, "\uFEFF" + lines.get(at));
        }
      }
      case LINE_ENDINGS -> {
        String[] endings = {"\r\n", "\r", "\n\r", "\r\r\n"};
        String ending = endings[random.nextInt(endings.length)];
        boolean mixed = random.nextBoolean();
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
          sb.append(line).append(mixed && random.nextBoolean() ? "\n" : ending);
        }
        return List.of(sb.substring(0, sb.length() - 1));
      }
      case EMPTY_LINES -> {
        String[] blanks = {"", " ", "\t", " \t ", "\r"};
        for (int i = 1 + random.nextInt(20); i > 0; i--) {
          lines.add(random.nextInt(lines.size() + 1), blanks[random.nextInt(blanks.length)]);
        }
      }
      case HEADER_IN_MIDDLE -> {
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
          lines.add(1 + random.nextInt(lines.size()), seed.header());
        }
      }
      case DROPPED_AND_EXTRA_FIELDS -> {
        for (int i = 0; i < n; i++) {
          if (random.nextInt(8) == 0) {
            String line = lines.get(i);
            int cut = line.lastIndexOf(seed.separator());
            lines.set(i, random.nextBoolean() && cut > 0 ? line.substring(0, cut)
                : line + sep + random.nextInt(100));
          }
        }
      }
      case LONG_LINE -> {
        int at = random.nextInt(n);
        lines.set(at, lines.get(at) + "9".repeat(70_000 + random.nextInt(10_000)));
      }
      default -> throw new IllegalStateException(this + " is not a line mutation");
    }
    return lines;
  }

  private static void replaceFields(List<String> lines, Seed seed, Random random,
      List<String> values) {
    boolean oneColumn = random.nextBoolean();
    int column = random.nextInt(12);
    for (int i = 0; i < lines.size(); i++) {
      if (random.nextInt(4) != 0) {
        continue;
      }
      String[] fields = lines.get(i).split(java.util.regex.Pattern.quote(
          String.valueOf(seed.separator())), -1);
      int f = (oneColumn ? column : random.nextInt(12)) % fields.length;
      String value = values.get(random.nextInt(values.size()));
      // keep the separator's trailing tab of Bitbrains fields: only the value changes
      fields[f] = fields[f].startsWith("\t") ? "\t" + value : value;
      lines.set(i, String.join(String.valueOf(seed.separator()), fields));
    }
  }

  private static String swap(String line, char separator, int a, int b) {
    String[] fields = line.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
    a %= fields.length;
    b %= fields.length;
    String t = fields[a];
    fields[a] = fields[b];
    fields[b] = t;
    return String.join(String.valueOf(separator), fields);
  }

  static byte[] join(List<String> lines) {
    return utf8(String.join("\n", lines) + "\n");
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
