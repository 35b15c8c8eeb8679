package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileSlugTest {

  @Test
  void keepsOnlySafeCharactersAndAReadableSlug() {
    for (String id : List.of("Web Frontend/1", "../../etc/passwd", "<script>", "日本語", "",
        "a".repeat(500), "CON", "x\u0000y")) {
      String name = FileSlug.of("forecast", id);
      assertTrue(name.matches("forecast(-[a-z0-9]+)*-[0-9a-f]{8}"), name);
      assertTrue(name.length() <= "forecast-".length() + 40 + 9, name);
    }
    assertTrue(FileSlug.of("loss", "Web Frontend/1").startsWith("loss-web-frontend-1-"));
  }

  @Test
  void givesIdsWithTheSameSlugDifferentNames() {
    assertNotEquals(FileSlug.of("mae", "web/1"), FileSlug.of("mae", "web_1"));
    assertNotEquals(FileSlug.of("mae", "<a>"), FileSlug.of("mae", "(a)"));
  }

  @Test
  void namesTheSameIdTheSameWayEveryRun() {
    assertEquals(FileSlug.of("mae", "web-frontend"), FileSlug.of("mae", "web-frontend"));
  }
}
