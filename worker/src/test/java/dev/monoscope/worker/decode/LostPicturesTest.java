package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tier 1: which pictures the decoder took in and never handed out, on timestamp sequences of real shapes. */
class LostPicturesTest {

    private static final long FRAME = 3600; // 25 fps on the 90 kHz clock

    /** Sends pictures 0..count-1 in order, hands them out in order but for {@code lost}; the lost count per picture. */
    private static List<Integer> run(LostPictures ledger, int count, int... lost) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ledger.sent(i * FRAME, 1);
            final int n = i;
            if (Arrays.stream(lost).noneMatch(l -> l == n)) {
                found.add(ledger.delivered(i * FRAME));
            }
        }
        return found;
    }

    @Test
    void aPictureTheDecoderDroppedIsFoundAfterTheGrace() {
        List<Integer> lost = run(new LostPictures(), 100, 70);
        assertThat(lost.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        // delivered index 70 is picture 71, the first past the dropped one; the verdict comes GRACE pictures later
        assertThat(lost.indexOf(1)).isEqualTo(70 + LostPictures.GRACE);
    }

    @Test
    void everyPictureHandedOutMeansNothingLost() {
        assertThat(run(new LostPictures(), 200)).containsOnly(0);
    }

    @Test
    void aPictureHandedOutLateWithinTheGraceIsNotLost() {
        LostPictures ledger = new LostPictures();
        run(ledger, 60);
        // a decoder that grows its reorder buffer: 61 comes out before 60
        ledger.sent(60 * FRAME, 1);
        ledger.sent(61 * FRAME, 1);
        assertThat(ledger.delivered(61 * FRAME)).isZero();
        assertThat(ledger.delivered(60 * FRAME)).isZero();
        for (int i = 62; i < 80; i++) {
            ledger.sent(i * FRAME, 1);
            assertThat(ledger.delivered(i * FRAME)).isZero();
        }
    }

    @Test
    void aStreamWithAPacketPerFieldIsNotJudged() {
        LostPictures ledger = new LostPictures();
        int lost = 0;
        for (int i = 0; i < 400; i++) {
            ledger.sent(i * FRAME, 1); // first field
            ledger.sent(i * FRAME + FRAME / 2, 1); // second field, in a packet of its own
            lost += ledger.delivered(i * FRAME); // one picture per pair
        }
        assertThat(lost).isZero();
    }

    @Test
    void leadingPicturesBeforeTheFirstHandedOutAreNotJudged() {
        LostPictures ledger = new LostPictures();
        ledger.sent(10 * FRAME, 1); // the keyframe the monitor joins at
        ledger.sent(8 * FRAME, 1); // open-GOP leading pictures the decoder skips after joining
        ledger.sent(9 * FRAME, 1);
        int lost = ledger.delivered(10 * FRAME);
        for (int i = 11; i < 100; i++) {
            ledger.sent(i * FRAME, 1);
            lost += ledger.delivered(i * FRAME);
        }
        assertThat(lost).isZero();
    }

    @Test
    void aJumpBackInTimeLosesNothing() {
        LostPictures ledger = new LostPictures();
        int lost = run(ledger, 60).stream().mapToInt(Integer::intValue).sum();
        ledger.sent(59 * FRAME + 1, 1); // held back by the decoder when the clock jumped back, never handed out
        for (int i = 0; i < 200; i++) {
            ledger.sent(i * 10, 1); // a new, earlier clock
            lost += ledger.delivered(i * 10);
        }
        assertThat(lost).isZero();
    }

    @Test
    void aDecoderThatHandsNothingOutLosesPicturesAsTheyComeIn() {
        LostPictures ledger = new LostPictures();
        run(ledger, 60);
        int threads = 3;
        int holdBack = LostPictures.MAX_REORDER + threads + LostPictures.GRACE;
        List<Long> lostAt = new ArrayList<>();
        for (int i = 60; i < 160; i++) { // damage: nothing comes out until the keyframe at 160
            if (ledger.sent(i * FRAME, threads) > 0) {
                lostAt.add(ledger.earliestLost());
            }
        }
        // known lost one by one, as soon as the decoder holds more than it can: not 4 s later, at the keyframe
        assertThat(lostAt).hasSize(100 - holdBack).first().isEqualTo(60 * FRAME);
        int lost = 0;
        for (int i = 160; i < 200; i++) {
            lost += ledger.sent(i * FRAME, threads);
            lost += ledger.delivered(i * FRAME);
        }
        assertThat(lostAt.size() + lost).isEqualTo(100); // the rest when the keyframe passes them
    }

    @Test
    void thePictureAfterAStallCountsEveryPictureNotHandedOutBeforeIt() {
        LostPictures ledger = new LostPictures();
        run(ledger, 60);
        for (int i = 60; i < 125; i++) { // damage at 61: nothing comes out for 2.6 s, until the keyframe at 124
            ledger.sent(i * FRAME, 2);
        }
        // the picture the decoder held back comes out first, with the keyframe
        ledger.delivered(60 * FRAME);
        assertThat(ledger.passedOver()).isZero();
        assertThat(ledger.heldBack()).as("its time is 2.6 s past").isTrue();
        ledger.delivered(124 * FRAME);
        assertThat(ledger.heldBack()).isFalse();
        // the frame-drop detector takes a gap these pictures fill for a stall, not a jump of the stream's clock
        assertThat(ledger.passedOver()).isEqualTo(63);
        ledger.sent(125 * FRAME, 2);
        ledger.delivered(125 * FRAME);
        assertThat(ledger.passedOver()).isZero();
    }

    @Test
    void nothingIsLostBeforeTheFirstPictureAfterJoining() {
        LostPictures ledger = new LostPictures();
        for (int i = 0; i < 250; i++) { // joined mid-GOP: the decoder waits 10 s for a keyframe
            assertThat(ledger.sent(i * FRAME, 2)).isZero();
        }
    }
}
