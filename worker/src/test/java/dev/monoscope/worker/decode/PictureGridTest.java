package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The grid detectors read (black, freeze, frame drops, A/V sync): a row read in bulk gives, point for point, the
 * samples a {@link Picture#luma} call gives, for 8-bit and 16-bit planes whose rows are padded, on every step.
 */
class PictureGridTest {

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {8, 10})
    void aGridRowHoldsTheSamplesOfItsPoints(int bitDepth) {
        int width = 101;
        int height = 37;
        int bytes = bitDepth > 8 ? 2 : 1;
        int stride = width * bytes + 27; // padded rows, as decoders align them
        ByteBuffer plane = ByteBuffer.allocateDirect(stride * height).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(3);
        for (int i = 0; i < plane.capacity(); i++) {
            plane.put(i, (byte) random.nextInt(256));
        }
        if (bytes == 2) { // keep 16-bit samples within 10 bits
            for (int i = 1; i < plane.capacity(); i += 2) {
                plane.put(i, (byte) (plane.get(i) & 0x03));
            }
        }
        Picture p = Picture.ofLuma(plane, width, height, stride, bitDepth, false, 0);

        for (int step : new int[] {1, 2, 3, 7, 16, 200}) {
            int points = 0;
            for (int y = step / 2; y < height; y += step) {
                int[] row = p.gridRow(y, step);
                for (int k = 0; k < p.gridColumns(step); k++, points++) {
                    assertThat(row[k])
                            .as("step %d, (%d, %d)", step, step / 2 + k * step, y)
                            .isEqualTo(p.luma(step / 2 + k * step, y));
                }
            }
            assertThat(points).as("step %d", step).isEqualTo(p.gridPoints(step));
        }
    }
}
