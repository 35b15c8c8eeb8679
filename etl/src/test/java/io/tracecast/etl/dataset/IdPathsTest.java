package io.tracecast.etl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.common.IdPaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.junit.jupiter.api.Test;

class IdPathsTest {
  private static final UnaryOperator<String> SPARK = ExternalCatalogUtils::escapePathName;

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void idsWhoseEscapedNameFitsKeepTheirPaths() {
    // what datasets and registries written before the rule hold must not move
    for (String id : List.of("2013-7", "m_1932", "382417448240", "yNf/R3+X=", "a".repeat(251),
        "../x/<script>", "雲".repeat(83))) {
      assertEquals(id, IdPaths.fit(id, SPARK, 251), id);
    }
    assertEquals("2013-7", DatasetLayout.jobPartition("2013-7"));
    assertEquals("a".repeat(251), DatasetLayout.jobPartition("a".repeat(251)));
  }

  @Test
  void longIdsBecomeAReadablePrefixAndAHashThatFit() {
    String azure = ("yNf/R3+X=" + "Qk9wZ2x").repeat(19);   // 304 chars, '/' escapes to 3 bytes
    String unicode = "雲-ü-<b>\"%'/../".repeat(70);          // 1050 chars, 3-byte characters
    for (String id : List.of(azure, unicode, "z".repeat(1000), "🚀".repeat(70))) {
      String fitted = DatasetLayout.jobPartition(id);
      assertTrue(IdPaths.isShortened(fitted), fitted);
      assertTrue(bytes("job=" + SPARK.apply(fitted)) <= 255, fitted);
      assertTrue(bytes("job=" + SPARK.apply(fitted)) > 200, "the prefix uses the room: " + fitted);
      assertTrue(id.startsWith(fitted.substring(0, fitted.lastIndexOf(IdPaths.MARK))), fitted);
      assertEquals(fitted, DatasetLayout.jobPartition(id), "stable");
    }
    // two ids that share the prefix differ in the hash
    String a = "q".repeat(400) + "a";
    String b = "q".repeat(400) + "b";
    assertNotEquals(DatasetLayout.jobPartition(a), DatasetLayout.jobPartition(b));
    // a surrogate pair is never cut in half
    String emoji = "🚀".repeat(200);
    String fitted = IdPaths.fit(emoji, UnaryOperator.identity(), 100);
    assertTrue(bytes(fitted) <= 100);
    assertEquals(fitted.length(), fitted.codePointCount(0, fitted.length()) * 2 - 17);
    assertFalse(IdPaths.isShortened("vm-1"));
  }
}
