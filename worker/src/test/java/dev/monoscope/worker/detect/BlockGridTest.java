package dev.monoscope.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The freeze detector's block sums, read eight samples at a time, are the sums of the samples. */
class BlockGridTest {

    @Test
    void sumsOfAnyRunOfSamplesAreExact() {
        Random random = new Random(7);
        byte[] row = new byte[4096];
        random.nextBytes(row);
        for (int k = 0; k < 2000; k++) {
            int from = random.nextInt(row.length);
            int to = from + random.nextInt(row.length - from + 1);
            assertThat(BlockGrid.sumOfBytes(row, from, to))
                    .as("%d..%d", from, to)
                    .isEqualTo(naive(row, from, to));
        }
    }

    @Test
    void aLongRunOfWhiteDoesNotOverflowItsLanes() {
        byte[] row = new byte[3000];
        Arrays.fill(row, (byte) 255);
        assertThat(BlockGrid.sumOfBytes(row, 0, row.length)).isEqualTo(255 * 3000);
        assertThat(BlockGrid.sumOfBytes(row, 3, 2999)).isEqualTo(255 * 2996);
    }

    private static int naive(byte[] row, int from, int to) {
        int sum = 0;
        for (int x = from; x < to; x++) {
            sum += row[x] & 0xff;
        }
        return sum;
    }
}
