package io.tracecast.etl.source;

import static io.tracecast.etl.source.TraceSamples.gzip;
import static io.tracecast.etl.source.TraceSamples.lines;
import static io.tracecast.etl.source.TraceSamples.read;
import static io.tracecast.etl.source.TraceSamples.resource;
import static io.tracecast.etl.source.TraceSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.QuarantineRecord;
import io.tracecast.etl.quarantine.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per kind of bad input: hand-written bad rows mixed with real rows. Row-level problems
 * must be quarantined with their reason, file, 1-based line and raw text while the good rows go
 * through; file-level problems must fail with a {@link BadFileException} naming the file.
 */
class BadInputTest {
  private static final String BITBRAINS_FILE = "rnd/2013-7/14.csv";
  private static final String ALIBABA_FILE = "alibaba/machine_usage.csv";
  private static final String AZURE_FILE = "azure/vm_cpu_readings-file-1-of-125.csv";
  private static final String GOOGLE2019_JSON_FILE = "google2019/instance_usage-000000000000.json";
  private static final String GOOGLE2019_CSV_FILE = "google2019/113/22.csv";
  private static final String GOOGLE2011_FILE = "google2011/part-00000-of-00500.csv";

  private static final List<String> BITBRAINS = lines("bitbrains/2013-7/14.csv");
  private static final String BITBRAINS_HEADER = BITBRAINS.get(0);
  /** Line 10 of VM 14: 17.5 % CPU, 1672476.0 of 2074624.0 KB memory. */
  private static final String BITBRAINS_GOOD = BITBRAINS.get(9);
  private static final String BITBRAINS_GOOD_2 = BITBRAINS.get(10);
  private static final String ALIBABA_GOOD = lines("alibaba2018/machine_usage.csv").get(0);
  private static final String AZURE_GOOD =
      lines("azure2017/schema/vm_cpu_readings-file-1-of-125.csv").get(0);
  private static final List<String> GOOGLE2019_CSV =
      lines("google2019/113/22-300000000-2531793000000.csv");
  private static final String GOOGLE2019_JSON_GOOD =
      lines("google2019/json/instance_usage-000000000000.json").get(0);
  private static final String GOOGLE2011_GOOD =
      lines("google2011/task_usage-schema-rows.csv").get(0);

  // ---------------------------------------------------------------- row level

  @Test
  void quarantinesRowsWithWrongFieldCount() throws IOException {
    String truncated = "1375096046;\t1;\t2599.999438;\t1941.3329137066667;\t74.66666666666667;\t2074624.0";
    String extra = BITBRAINS_GOOD_2 + ";\t0.0";
    FileParse parse = bitbrains(BITBRAINS_GOOD, truncated, extra);
    assertAccepted(parse, 1);
    assertQuarantined(parse, BITBRAINS_FILE,
        row(3, truncated, Reason.WRONG_FIELD_COUNT), row(4, extra, Reason.WRONG_FIELD_COUNT));
    assertTrue(parse.quarantined().get(0).detail().contains("6 fields, expected 11"));
  }

  @Test
  void quarantinesUnparsableNumbers() throws IOException {
    // a decimal comma, and a unit left in the field
    String comma = BITBRAINS_GOOD.replace("17.5", "17,5");
    String unit = BITBRAINS_GOOD_2.replace("2074624.0", "2074624.0 KB");
    FileParse parse = bitbrains(comma, BITBRAINS_GOOD, unit);
    assertAccepted(parse, 1);
    assertQuarantined(parse, BITBRAINS_FILE,
        row(2, comma, Reason.UNPARSABLE_NUMBER), row(4, unit, Reason.UNPARSABLE_NUMBER));
  }

  @Test
  void quarantinesNanValues() throws IOException {
    String nanMemory = BITBRAINS_GOOD_2.replace("1999283.2", "NaN");
    String nanJson = GOOGLE2019_JSON_GOOD.replace("\"cpus\":0.014083862304687", "\"cpus\":\"NaN\"");
    assertQuarantinedAmongGood(bitbrains(BITBRAINS_GOOD, nanMemory), BITBRAINS_FILE, 1,
        row(3, nanMemory, Reason.NAN_VALUE));
    assertQuarantinedAmongGood(google2019Json(nanJson, GOOGLE2019_JSON_GOOD), GOOGLE2019_JSON_FILE,
        1, row(1, nanJson, Reason.NAN_VALUE));
  }

  @Test
  void quarantinesInfiniteValues() throws IOException {
    String infiniteDisk = BITBRAINS_GOOD_2.replace("3686.9333333333334", "Infinity");
    String overflowing = GOOGLE2019_JSON_GOOD.replace("\"memory\":0.007423400878906", "\"memory\":1e999");
    assertQuarantinedAmongGood(bitbrains(BITBRAINS_GOOD, infiniteDisk), BITBRAINS_FILE, 1,
        row(3, infiniteDisk, Reason.INFINITE_VALUE));
    assertQuarantinedAmongGood(google2019Json(GOOGLE2019_JSON_GOOD, overflowing),
        GOOGLE2019_JSON_FILE, 1, row(2, overflowing, Reason.INFINITE_VALUE));
  }

  @Test
  void quarantinesNegativeUsage() throws IOException {
    String negativeCpu = "m_1932,386700,-3,92,,,43.04,33.08,5";
    String negativeNet = "m_1932,386710,41,92,,,-43.04,33.08,5";
    assertQuarantinedAmongGood(alibaba(ALIBABA_GOOD, negativeCpu, negativeNet), ALIBABA_FILE, 1,
        row(2, negativeCpu, Reason.NEGATIVE_USAGE), row(3, negativeNet, Reason.NEGATIVE_USAGE));
  }

  @Test
  void quarantinesUsageFarAboveCapacityButKeepsItUpToTheLimit() throws IOException {
    String cpu250 = BITBRAINS_GOOD.replace("17.5", "250.0");
    String cpu200 = BITBRAINS_GOOD_2.replace("74.66666666666667", "200.0");
    String memory3x = BITBRAINS_GOOD.replace("1672476.0", "6223872.0");
    FileParse parse = bitbrains(cpu250, cpu200, memory3x);
    assertAccepted(parse, 1);
    assertEquals(2.0, parse.chunks().get(0).values()[0][0], 0.0);
    assertQuarantined(parse, BITBRAINS_FILE,
        row(2, cpu250, Reason.ABOVE_CAPACITY), row(4, memory3x, Reason.ABOVE_CAPACITY));
  }

  @Test
  void quarantinesRowsWithInvalidCapacity() throws IOException {
    String negativeMemoryCapacity = BITBRAINS_GOOD.replace("2074624.0", "-2074624.0");
    String noCpuCapacity = BITBRAINS_GOOD_2.replace("2599.999438", "0.0");
    assertQuarantinedAmongGood(bitbrains(negativeMemoryCapacity, noCpuCapacity, BITBRAINS_GOOD),
        BITBRAINS_FILE, 1, row(2, negativeMemoryCapacity, Reason.INVALID_CAPACITY),
        row(3, noCpuCapacity, Reason.INVALID_CAPACITY));
  }

  @Test
  void quarantinesRowsWithoutTimestamp() throws IOException {
    String emptyTime = BITBRAINS_GOOD_2.replace("1375096046", "");
    String jsonWithoutStart = GOOGLE2019_JSON_GOOD.replace("\"start_time\":\"137700000000\",", "");
    assertQuarantinedAmongGood(bitbrains(BITBRAINS_GOOD, emptyTime), BITBRAINS_FILE, 1,
        row(3, emptyTime, Reason.MISSING_TIMESTAMP));
    assertQuarantinedAmongGood(google2019Json(GOOGLE2019_JSON_GOOD, jsonWithoutStart),
        GOOGLE2019_JSON_FILE, 1, row(2, jsonWithoutStart, Reason.MISSING_TIMESTAMP));
  }

  @Test
  void quarantinesUnparsableTimestamps() throws IOException {
    String isoTime = BITBRAINS_GOOD_2.replace("1375096046", "2013-07-29 11:07:26");
    String fractional = BITBRAINS_GOOD_2.replace("1375096046", "1375096046.5");
    assertQuarantinedAmongGood(bitbrains(BITBRAINS_GOOD, isoTime, fractional), BITBRAINS_FILE, 1,
        row(3, isoTime, Reason.UNPARSABLE_TIMESTAMP), row(4, fractional, Reason.UNPARSABLE_TIMESTAMP));
  }

  @Test
  void quarantinesTimestampsOutsideTheAcceptedRange() throws IOException {
    String year2100 = BITBRAINS_GOOD_2.replace("1375096046", "4102444800");
    String beforeEpoch = BITBRAINS_GOOD_2.replace("1375096046", "-300");
    String overflowing = BITBRAINS_GOOD_2.replace("1375096046", "9223372036854775");
    String lastSecond = BITBRAINS_GOOD_2.replace("1375096046", "4102444799");
    FileParse parse = bitbrains(year2100, beforeEpoch, BITBRAINS_GOOD, overflowing, lastSecond);
    assertAccepted(parse, 2);
    assertEquals(4102444799_000_000L, parse.chunks().get(0).timestampsMicros()[1]);
    assertQuarantined(parse, BITBRAINS_FILE,
        row(2, year2100, Reason.TIMESTAMP_OUT_OF_RANGE),
        row(3, beforeEpoch, Reason.TIMESTAMP_OUT_OF_RANGE),
        row(5, overflowing, Reason.TIMESTAMP_OUT_OF_RANGE));
  }

  @Test
  void quarantinesTimestampsThatOverflowWithTheOrigin() throws IOException {
    String late = GOOGLE2019_JSON_GOOD.replace("\"137700000000\"", "\"9223372036854775000\"")
        .replace("\"138000000000\"", "\"9223372036854775300\"");
    FileParse parse = new TraceFileReader(new Google2019Format(),
        SourceContext.of(TraceSamples.micros("2019-05-01T07:00:00Z")), TraceSamples.LIMITS)
        .read(GOOGLE2019_JSON_FILE, new java.io.ByteArrayInputStream(
            utf8(GOOGLE2019_JSON_GOOD + "\n" + late + "\n")));
    assertQuarantinedAmongGood(parse, GOOGLE2019_JSON_FILE, 1,
        row(2, late, Reason.TIMESTAMP_OUT_OF_RANGE));
  }

  @Test
  void quarantinesRowsWithoutSeriesId() throws IOException {
    String noMachine = ",386700,41,92,,,43.04,33.08,5";
    String noInstance = GOOGLE2019_JSON_GOOD.replace("\"instance_index\":22,", "");
    assertQuarantinedAmongGood(alibaba(noMachine, ALIBABA_GOOD), ALIBABA_FILE, 1,
        row(1, noMachine, Reason.MISSING_SERIES_ID));
    assertQuarantinedAmongGood(google2019Json(GOOGLE2019_JSON_GOOD, noInstance),
        GOOGLE2019_JSON_FILE, 1, row(2, noInstance, Reason.MISSING_SERIES_ID));
  }

  @Test
  void quarantinesRowsWithoutTarget() throws IOException {
    // memory and network are there, the CPU (the target) is not
    String noCpu = "m_1932,386700,,92,,,43.04,33.08,5";
    assertQuarantinedAmongGood(alibaba(ALIBABA_GOOD, noCpu), ALIBABA_FILE, 1,
        row(2, noCpu, Reason.MISSING_TARGET));
  }

  @Test
  void quarantinesReadingsWithMinAboveMax() throws IOException {
    String minAboveMax = "300,yNf/R3X8fyXkOJm3ihXQcT0F52a8cDWPPRzTT6QFW8N+1QPfeKR5//6xyX0VYn7X,40.5,30.2,35.0";
    String avgAboveMax = "600,yNf/R3X8fyXkOJm3ihXQcT0F52a8cDWPPRzTT6QFW8N+1QPfeKR5//6xyX0VYn7X,,30.2,35.0";
    assertQuarantinedAmongGood(azure(AZURE_GOOD, minAboveMax, avgAboveMax), AZURE_FILE, 1,
        row(2, minAboveMax, Reason.MIN_ABOVE_MAX), row(3, avgAboveMax, Reason.MIN_ABOVE_MAX));
  }

  @Test
  void quarantinesWindowsEndingBeforeTheyStart() throws IOException {
    String google2011 = GOOGLE2011_GOOD.replace("600000000,900000000,", "900000000,600000000,");
    assertQuarantinedAmongGood(read(new Google2011Format(), 0, GOOGLE2011_FILE,
            utf8(GOOGLE2011_GOOD + "\n" + google2011 + "\n")), GOOGLE2011_FILE, 1,
        row(2, google2011, Reason.END_BEFORE_START));
    String google2019 = GOOGLE2019_JSON_GOOD.replace("\"end_time\":\"138000000000\"",
        "\"end_time\":\"137400000000\"");
    assertQuarantinedAmongGood(google2019Json(google2019, GOOGLE2019_JSON_GOOD),
        GOOGLE2019_JSON_FILE, 1, row(1, google2019, Reason.END_BEFORE_START));
  }

  @Test
  void quarantinesMalformedJson() throws IOException {
    String cutOff = GOOGLE2019_JSON_GOOD.substring(0, 150);
    String notAnObject = "[1,2,3]";
    String trailingGarbage = GOOGLE2019_JSON_GOOD + "}";
    FileParse parse = google2019Json(GOOGLE2019_JSON_GOOD, cutOff, notAnObject, trailingGarbage);
    assertQuarantinedAmongGood(parse, GOOGLE2019_JSON_FILE, 1,
        row(2, cutOff, Reason.MALFORMED_JSON), row(3, notAnObject, Reason.MALFORMED_JSON),
        row(4, trailingGarbage, Reason.MALFORMED_JSON));
  }

  @Test
  void quarantinesRowsMissingARequiredField() throws IOException {
    String noCpuPercent = BITBRAINS_GOOD_2.replace("74.66666666666667", "");
    String noAverage = GOOGLE2019_JSON_GOOD.replaceFirst(
        "\"average_usage\":\\{[^}]*},", "");
    assertQuarantinedAmongGood(bitbrains(noCpuPercent, BITBRAINS_GOOD), BITBRAINS_FILE, 1,
        row(2, noCpuPercent, Reason.MISSING_FIELD));
    assertQuarantinedAmongGood(google2019Json(GOOGLE2019_JSON_GOOD, noAverage),
        GOOGLE2019_JSON_FILE, 1, row(2, noAverage, Reason.MISSING_FIELD));
    String azureNoMax = "300,yNf/R3X8fyXkOJm3ihXQcT0F52a8cDWPPRzTT6QFW8N+1QPfeKR5//6xyX0VYn7X,,,35.0";
    assertQuarantinedAmongGood(azure(AZURE_GOOD, azureNoMax), AZURE_FILE, 1,
        row(2, azureNoMax, Reason.MISSING_FIELD));
  }

  @Test
  void quarantinesHeadersRepeatedInTheBody() throws IOException {
    // two Bitbrains files concatenated
    assertQuarantinedAmongGood(bitbrains(BITBRAINS_GOOD, BITBRAINS_HEADER, BITBRAINS_GOOD_2),
        BITBRAINS_FILE, 2, row(3, BITBRAINS_HEADER, Reason.HEADER_IN_BODY));
    String csvHeader = GOOGLE2019_CSV.get(0);
    FileParse google = read(new Google2019Format(), 0, GOOGLE2019_CSV_FILE, utf8(String.join("\n",
        csvHeader, GOOGLE2019_CSV.get(1), csvHeader, GOOGLE2019_CSV.get(2)) + "\n"));
    assertQuarantinedAmongGood(google, GOOGLE2019_CSV_FILE, 2,
        row(3, csvHeader, Reason.HEADER_IN_BODY));
  }

  @Test
  void quarantinesHeaderLinesAnywhereInAHeaderlessTrace() throws IOException {
    String header = "machine_id,time_stamp,cpu_util_percent,mem_util_percent,mem_gps,mkpi,net_in,"
        + "net_out,disk_io_percent";
    assertQuarantinedAmongGood(alibaba(header, ALIBABA_GOOD, header, ALIBABA_GOOD), ALIBABA_FILE, 2,
        row(1, header, Reason.HEADER_IN_BODY), row(3, header, Reason.HEADER_IN_BODY));
  }

  @Test
  void quarantinesBlankLines() throws IOException {
    FileParse parse = bitbrains(BITBRAINS_GOOD, "", " \t ", BITBRAINS_GOOD_2, "");
    assertQuarantinedAmongGood(parse, BITBRAINS_FILE, 2, row(3, "", Reason.BLANK_LINE),
        row(4, " \t ", Reason.BLANK_LINE), row(6, "", Reason.BLANK_LINE));
  }

  @Test
  void quarantinesLinesTooLongAndKeepsTheirStart() throws IOException {
    String tooLong = BITBRAINS_GOOD_2 + ";\t" + "9".repeat(70_000);
    FileParse parse = bitbrains(BITBRAINS_GOOD, tooLong);
    assertAccepted(parse, 1);
    assertEquals(1, parse.quarantined().size());
    QuarantineRecord q = parse.quarantined().get(0);
    assertEquals(Reason.LINE_TOO_LONG, q.reason());
    assertEquals(BITBRAINS_FILE, q.file());
    assertEquals(3, q.line());
    assertEquals(tooLong.substring(0, QuarantineRecord.MAX_RAW_CHARS), q.raw());
    assertTrue(q.detail().contains(tooLong.length() + " characters"), q.detail());
  }

  @Test
  void quarantinesLinesWithControlCharactersOrBytesThatAreNotUtf8() throws IOException {
    String nul = BITBRAINS_GOOD_2.replace("2599.999438", "2599.9\u0000438");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(utf8(BITBRAINS_HEADER + "\n" + BITBRAINS_GOOD + "\n" + nul + "\n"));
    bytes.writeBytes(utf8("1375096346;\t1;\t"));
    bytes.write(0xff); // a Latin-1 or binary byte in a UTF-8 file
    bytes.writeBytes(utf8(";\t2201.332857506666;\t84.66666666666666;\t2089369.6;\t1799355.4666666666;"
        + "\t938.8;\t4471.2;\t474.3333333333333;\t16.8\n"));
    FileParse parse = read(new BitbrainsFormat(), 0, BITBRAINS_FILE, bytes.toByteArray());
    assertQuarantinedAmongGood(parse, BITBRAINS_FILE, 1, row(3, nul, Reason.CONTROL_CHARACTERS),
        row(4, "1375096346;\t1;\t\uFFFD;\t2201.332857506666;\t84.66666666666666;\t2089369.6;\t"
            + "1799355.4666666666;\t938.8;\t4471.2;\t474.3333333333333;\t16.8",
            Reason.CONTROL_CHARACTERS));
  }

  @Test
  void quarantinesTheSameRowsFromGzipAsFromPlain() throws IOException {
    byte[] plain = utf8(String.join("\n", BITBRAINS_HEADER, BITBRAINS_GOOD, "", "x;\ty") + "\n");
    FileParse fromGzip = read(new BitbrainsFormat(), 0, BITBRAINS_FILE, gzip(plain));
    assertEquals(read(new BitbrainsFormat(), 0, BITBRAINS_FILE, plain).quarantined(),
        fromGzip.quarantined());
    assertQuarantinedAmongGood(fromGzip, BITBRAINS_FILE, 1, row(3, "", Reason.BLANK_LINE),
        row(4, "x;\ty", Reason.WRONG_FIELD_COUNT));
  }

  // ---------------------------------------------------------------- file level

  @Test
  void rejectsFilesWithoutBytes() {
    BadFileException e = assertThrows(BadFileException.class,
        () -> read(new AlibabaFormat(), 0, ALIBABA_FILE, new byte[0]));
    assertBadFile(e, ALIBABA_FILE, Reason.EMPTY_FILE);
  }

  @Test
  void rejectsFilesWithoutDataRows() {
    // a header alone, plain and gzip; an empty gzip member
    for (byte[] bytes : List.of(utf8(BITBRAINS_HEADER + "\n"), gzip(utf8(BITBRAINS_HEADER + "\n")))) {
      BadFileException e = assertThrows(BadFileException.class,
          () -> read(new BitbrainsFormat(), 0, BITBRAINS_FILE, bytes));
      assertBadFile(e, BITBRAINS_FILE, Reason.EMPTY_FILE);
    }
    BadFileException e = assertThrows(BadFileException.class,
        () -> read(new AzureFormat(), 0, AZURE_FILE, gzip(new byte[0])));
    assertBadFile(e, AZURE_FILE, Reason.EMPTY_FILE);
  }

  @Test
  void rejectsFilesOfBlankLinesAsEmpty() {
    BadFileException e = assertThrows(BadFileException.class,
        () -> read(new AzureFormat(), 0, AZURE_FILE, utf8("\n \n\t\r\n")));
    assertBadFile(e, AZURE_FILE, Reason.EMPTY_FILE);
    assertTrue(e.detail().contains("3 blank lines"), e.getMessage());
  }

  @Test
  void rejectsBinaryJunkAsWrongFormat() {
    // found by FuzzedInputTest: every line held a control character, so every row was
    // quarantined and the file passed as a trace of bad rows
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    junk[0] = 'x';
    BadFileException e = assertThrows(BadFileException.class,
        () -> read(new BitbrainsFormat(), 0, BITBRAINS_FILE, junk));
    assertBadFile(e, BITBRAINS_FILE, Reason.WRONG_FORMAT);
  }

  @Test
  void readsAFileThatStartsWithAByteOrderMark() throws IOException {
    // found by FuzzedInputTest: the mark hid the header of Bitbrains and Google 2019 CSV files
    FileParse bitbrains = read(new BitbrainsFormat(), 0, BITBRAINS_FILE,
        utf8("\uFEFF" + BITBRAINS_HEADER + "\n" + BITBRAINS_GOOD + "\n"));
    assertAccepted(bitbrains, 1);
    assertEquals(List.of(), bitbrains.quarantined());
    FileParse google = read(new Google2019Format(), 0, GOOGLE2019_CSV_FILE,
        utf8("\uFEFF" + String.join("\n", GOOGLE2019_CSV.subList(0, 3)) + "\n"));
    assertAccepted(google, 2);
    // only at the start of the file: inside, it is part of a field
    FileParse inside = azure(AZURE_GOOD, "\uFEFF" + AZURE_GOOD);
    assertEquals(Reason.UNPARSABLE_TIMESTAMP, inside.quarantined().get(0).reason());
  }

  @Test
  void rejectsTruncatedGzipAsUnreadable() {
    byte[] whole = resource("azure2017/vm_cpu_readings-sample-head.csv.gz");
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    BadFileException e = assertThrows(BadFileException.class,
        () -> read(new AzureFormat(), 0, AZURE_FILE + ".gz", truncated));
    assertBadFile(e, AZURE_FILE + ".gz", Reason.UNREADABLE_FILE);
  }

  @Test
  void rejectsCorruptGzipAsUnreadable() {
    byte[] corrupt = gzip(resource("alibaba2018/machine_usage.csv"));
    corrupt[2] = 7; // compression method: only 8 (deflate) exists
    BadFileException header = assertThrows(BadFileException.class,
        () -> read(new AlibabaFormat(), 0, ALIBABA_FILE, corrupt));
    assertBadFile(header, ALIBABA_FILE, Reason.UNREADABLE_FILE);

    byte[] badCrc = gzip(resource("alibaba2018/machine_usage.csv"));
    badCrc[badCrc.length - 6] ^= 0x5a; // CRC-32 of the trailer
    BadFileException crc = assertThrows(BadFileException.class,
        () -> read(new AlibabaFormat(), 0, ALIBABA_FILE, badCrc));
    assertBadFile(crc, ALIBABA_FILE, Reason.UNREADABLE_FILE);
  }

  @Test
  void rejectsABitbrainsFileGivenToOtherReadersAsWrongFormat() {
    byte[] bitbrains = resource("bitbrains/2013-7/14.csv");
    for (TraceFormat format : List.of(new AlibabaFormat(), new Google2019Format(),
        new AzureFormat(), new Google2011Format())) {
      BadFileException e = assertThrows(BadFileException.class,
          () -> read(format, 0, BITBRAINS_FILE, bitbrains), format.name());
      assertBadFile(e, BITBRAINS_FILE, Reason.WRONG_FORMAT);
      assertTrue(e.getMessage().contains("not a " + format.name()), e.getMessage());
    }
  }

  @Test
  void rejectsOtherTracesGivenToTheBitbrainsReaderAsWrongFormat() {
    for (String path : List.of("alibaba2018/machine_usage.csv",
        "google2019/113/22-300000000-2531793000000.csv",
        "azure2017/vm_cpu_readings-sample-head.csv.gz")) {
      BadFileException e = assertThrows(BadFileException.class,
          () -> read(new BitbrainsFormat(), 0, path, resource(path)), path);
      assertBadFile(e, path, Reason.WRONG_FORMAT);
    }
  }

  @Test
  void givesUpOnAFileAfterTwentyStructuralRejectionsBeforeAnyGoodRow() {
    // 20 Bitbrains-shaped rows first, real Alibaba rows after: the probe stops at line 20
    List<String> rows = new ArrayList<>(BITBRAINS.subList(1, 21));
    rows.addAll(lines("alibaba2018/machine_usage.csv"));
    BadFileException e = assertThrows(BadFileException.class,
        () -> alibaba(rows.toArray(String[]::new)));
    assertBadFile(e, ALIBABA_FILE, Reason.WRONG_FORMAT);
    assertTrue(e.getMessage().contains("line 1: WRONG_FIELD_COUNT"), e.getMessage());

    // 19 are quarantined and the good rows read
    List<String> fewer = new ArrayList<>(BITBRAINS.subList(1, 20));
    fewer.add(ALIBABA_GOOD);
    assertDoesNotThrowWrongFormat(fewer);
  }

  private static void assertDoesNotThrowWrongFormat(List<String> rows) {
    try {
      FileParse parse = alibaba(rows.toArray(String[]::new));
      assertAccepted(parse, 1);
      assertEquals(19, parse.quarantined().size());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private record Expected(long line, String raw, Reason reason) {}

  private static Expected row(long line, String raw, Reason reason) {
    return new Expected(line, raw, reason);
  }

  private static FileParse bitbrains(String... rows) throws IOException {
    return read(new BitbrainsFormat(), 0, BITBRAINS_FILE,
        utf8(BITBRAINS_HEADER + "\n" + String.join("\n", rows) + "\n"));
  }

  private static FileParse alibaba(String... rows) throws IOException {
    return read(new AlibabaFormat(), 0, ALIBABA_FILE, utf8(String.join("\n", rows) + "\n"));
  }

  private static FileParse azure(String... rows) throws IOException {
    return read(new AzureFormat(), 0, AZURE_FILE, utf8(String.join("\n", rows) + "\n"));
  }

  private static FileParse google2019Json(String... rows) throws IOException {
    return read(new Google2019Format(), 0, GOOGLE2019_JSON_FILE,
        utf8(String.join("\n", rows) + "\n"));
  }

  private static void assertAccepted(FileParse parse, long accepted) {
    assertEquals(accepted, parse.rowsAccepted(), () -> "accepted; quarantined: " + parse.quarantined());
    assertEquals(parse.rowsRead(), parse.rowsAccepted() + parse.quarantined().size(),
        "rowsRead == rowsAccepted + quarantined");
    assertEquals(accepted, parse.chunks().stream().mapToInt(SeriesChunk::size).sum());
  }

  private static void assertQuarantined(FileParse parse, String file, Expected... expected) {
    List<QuarantineRecord> actual = parse.quarantined();
    assertEquals(expected.length, actual.size(), () -> "quarantined: " + actual);
    for (int i = 0; i < expected.length; i++) {
      QuarantineRecord q = actual.get(i);
      assertEquals(expected[i].reason(), q.reason(), q::toString);
      assertEquals(file, q.file());
      assertEquals(expected[i].line(), q.line(), q::toString);
      assertEquals(expected[i].raw(), q.raw());
      assertTrue(!q.detail().isEmpty(), "a quarantine record says why");
    }
  }

  private static void assertQuarantinedAmongGood(FileParse parse, String file, long accepted,
      Expected... expected) {
    assertAccepted(parse, accepted);
    assertQuarantined(parse, file, expected);
    assertEquals(accepted + expected.length, parse.rowsRead());
  }

  private static void assertBadFile(BadFileException e, String file, Reason reason) {
    assertEquals(reason, e.reason(), e::getMessage);
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ": " + reason), e.getMessage());
  }
}
