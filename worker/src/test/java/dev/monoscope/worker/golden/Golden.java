package dev.monoscope.worker.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded outputs under src/test/resources/golden (system property {@code monoscope.golden.dir}), compared line by
 * line. An intended change of behaviour refreshes them: {@code mvn test -Dtest=GoldenOutputTest -Dgolden.update=true},
 * then review the change in git.
 */
final class Golden {

    private Golden() {}

    static void assertMatches(String name, String actual) {
        Path file = Path.of(System.getProperty("monoscope.golden.dir", "src/test/resources/golden"))
                .resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.isRegularFile(file)) {
                throw new AssertionError("no golden file " + file + " (record it with -Dgolden.update=true)");
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                throw new AssertionError("output differs from " + file
                        + " (- recorded, + now; -Dgolden.update=true records the new output):\n"
                        + diff(expected.lines().toList(), actual.lines().toList()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The changed lines, with their line numbers, from a longest-common-subsequence alignment. */
    static String diff(List<String> expected, List<String> actual) {
        int n = expected.size();
        int m = actual.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = expected.get(i).equals(actual.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                i++;
                j++;
            } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
                out.add(String.format("+%4d %s", j + 1, actual.get(j++)));
            } else {
                out.add(String.format("-%4d %s", i + 1, expected.get(i++)));
            }
        }
        return String.join("\n", out);
    }
}
