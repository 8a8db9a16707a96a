package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_HWACCEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avutil.AVComponentDescriptor;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.javacpp.BytePointer;

/**
 * A decoded picture as detectors see it: a view over the decoder's own luma plane (no copy), and its chroma read on
 * demand ({@link #chromaCellMeans}), valid only until the next call to {@link StreamDecoder#next()}. One instance is
 * reused for every picture.
 */
public final class Picture {

    /**
     * A picture over a luma plane that did not come from a decoder (detector tests, synthetic sources): 8-bit when
     * {@code bitDepth} is 8, little-endian 16-bit samples otherwise. Counts as joined, intact and not a keyframe.
     */
    public static Picture ofLuma(
            ByteBuffer luma, int width, int height, int stride, int bitDepth, boolean fullRange, double pts) {
        Picture p = new Picture();
        p.luma = luma;
        p.width = width;
        p.height = height;
        p.stride = stride;
        p.bytesPerSample = bitDepth > 8 ? 2 : 1;
        p.maxValue = (1 << bitDepth) - 1;
        p.fullRange = fullRange;
        p.joined = true;
        p.trustworthy = true;
        p.pts = pts;
        return p;
    }

    /**
     * Points this picture at a decoded frame's luma plane. Detectors read luma only, and plane 0 is luma in every
     * YUV layout a decoder hands out: planar (yuv420p, the CPU decoders) and semi-planar with interleaved chroma
     * (NV12 and P010/P016, what the CUDA decoders return), so both look the same from here.
     */
    void describe(AVFrame f) {
        frame = f;
        width = f.width();
        height = f.height();
        stride = Math.abs(f.linesize(0));
        int format = f.format();
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(format);
        int depth = desc == null ? 8 : desc.comp(0).depth();
        bytesPerSample = depth > 8 ? 2 : 1;
        shift = desc == null ? 0 : desc.comp(0).shift();
        maxValue = (1 << depth) - 1;
        fullRange = f.color_range() == AVCOL_RANGE_JPEG
                || format == AV_PIX_FMT_YUVJ420P
                || format == AV_PIX_FMT_YUVJ422P
                || format == AV_PIX_FMT_YUVJ444P;
        luma = f.data(0).capacity((long) stride * height).asByteBuffer();
    }

    /** The decoder's frame (for evidence snapshots); do not keep it. */
    AVFrame frame;

    ByteBuffer luma;
    int stride;
    int width;
    int height;
    int bytesPerSample;
    /** Sample bits sit this far up in their 16-bit word (P010 and the like). */
    int shift;

    int maxValue;
    boolean fullRange;
    boolean damaged;
    /** How long before this picture damage the decoder only logged began (seconds, 0: at it), or NaN. */
    double loggedDamageBefore = Double.NaN;
    /** Pictures the decoder took in before this one and has not handed out: lost, or late. */
    int missingBefore;
    /** Held back by the decoder through a stall: handed out after pictures sent after it were found lost. */
    boolean heldBack;

    boolean decoderFlags;
    boolean dataLost;
    boolean keyFrame;
    boolean trustworthy;
    boolean joined;
    double pts;
    double duration;
    /** The picture rate the bitstream declares, where the decoder and the picture's duration agree, or NaN. */
    double declaredRate = Double.NaN;

    private byte[] rowCopy = new byte[0];
    private int[] gridRow = new int[0];

    public AVFrame frame() {
        return frame;
    }

    /** Luma sample at (x, y), 0..{@link #maxValue()}. */
    public int luma(int x, int y) {
        int off = y * stride + x * bytesPerSample;
        if (bytesPerSample == 1) {
            return luma.get(off) & 0xff;
        }
        return ((luma.get(off) & 0xff) | (luma.get(off + 1) & 0xff) << 8) >>> shift;
    }

    /**
     * The step of a square sampling grid with about {@code samples} points over this picture (at least 1): whole-
     * picture conditions (black, frozen) need a sample of the picture, not every pixel.
     */
    public int gridStep(int samples) {
        if (samples <= 0 || (long) width * height <= samples) {
            return 1;
        }
        return Math.max(1, (int) Math.sqrt((double) width * height / samples));
    }

    /** The points of the grid of {@code step}, read from (step / 2, step / 2) in rows: its size for arrays. */
    public int gridPoints(int step) {
        return ((height - step / 2 + step - 1) / step) * gridColumns(step);
    }

    /** The points in a row of the grid of {@code step}. */
    public int gridColumns(int step) {
        return (width - step / 2 + step - 1) / step;
    }

    /**
     * The luma samples of row {@code y} on the grid of {@code step} (x = step / 2, step / 2 + step, …; there are
     * {@link #gridColumns} of them), in an array of this picture's that the next call reuses. One bulk copy of the
     * row, then array reads: a {@link #luma} call per sample costs several times more.
     */
    public int[] gridRow(int y, int step) {
        int n = gridColumns(step);
        if (gridRow.length < n) {
            gridRow = new int[n];
        }
        int rowBytes = width * bytesPerSample;
        if (rowBytes > rowCopy.length) {
            rowCopy = new byte[rowBytes];
        }
        byte[] b = rowCopy;
        copyLumaRow(y, b);
        int[] out = gridRow;
        int x = step / 2;
        if (bytesPerSample == 1) { // the common case, written out: the compiler (C1) may not inline sample()
            for (int k = 0; k < n; k++, x += step) {
                out[k] = b[x] & 0xff;
            }
        } else {
            for (int k = 0; k < n; k++, x += step) {
                out[k] = sample(b, x);
            }
        }
        return out;
    }

    /**
     * Copies luma row {@code y} into {@code row} (at least width × {@link #bytesPerSample} long), for {@link #sample}:
     * a detector that reads many samples of a few rows copies them once.
     */
    public void copyLumaRow(int y, byte[] row) {
        luma.get(y * stride, row, 0, width * bytesPerSample);
    }

    /** The luma sample at {@code x} of a row copied with {@link #copyLumaRow}, 0..{@link #maxValue()}. */
    public int sample(byte[] row, int x) {
        if (bytesPerSample == 1) {
            return row[x] & 0xff;
        }
        return ((row[2 * x] & 0xff) | (row[2 * x + 1] & 0xff) << 8) >>> shift;
    }

    /**
     * The means of chroma component {@code component} (1: Cb, 2: Cr) over cells of {@code cell} × {@code cell} pixels
     * of the picture, into {@code out} (row by row, {@code width / cell} cells a row, {@code height / cell} rows;
     * 0..{@link #maxValue()} as luma): what luma alone cannot see, a picture whose only structure is colour. False
     * when the picture has none to read (not from a decoder, grey, RGB, a hardware surface).
     */
    public boolean chromaCellMeans(int component, int cell, double[] out) {
        AVPixFmtDescriptor desc = frame == null ? null : av_pix_fmt_desc_get(frame.format());
        if (desc == null
                || desc.nb_components() < 3
                || (desc.flags() & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL)) != 0) {
            return false;
        }
        int cols = width / cell;
        int rows = height / cell;
        if (cols == 0 || rows == 0) {
            return false; // a picture smaller than one cell
        }
        AVComponentDescriptor c = desc.comp(component);
        int cellX = Math.max(1, cell >> desc.log2_chroma_w());
        int cellY = Math.max(1, cell >> desc.log2_chroma_h());
        int wide = c.depth() > 8 ? 2 : 1;
        int mask = (1 << c.depth()) - 1;
        int lineBytes = (cols * cellX - 1) * c.step() + c.offset() + wide;
        byte[] line = new byte[lineBytes];
        BytePointer plane = frame.data(c.plane());
        long planeStride = frame.linesize(c.plane());
        Arrays.fill(out, 0, cols * rows, 0);
        for (int y = 0; y < rows * cellY; y++) {
            plane.position(y * planeStride).get(line, 0, lineBytes);
            int base = (y / cellY) * cols;
            for (int x = 0, at = c.offset(); x < cols * cellX; x++, at += c.step()) {
                int v = wide == 1 ? line[at] & 0xff : (line[at] & 0xff | (line[at + 1] & 0xff) << 8) >>> c.shift();
                out[base + x / cellX] += v & mask;
            }
        }
        for (int i = 0; i < cols * rows; i++) {
            out[i] /= cellX * cellY;
        }
        return true;
    }

    public int stride() {
        return stride;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Largest sample value: 255 for 8-bit, 1023 for 10-bit, … */
    public int maxValue() {
        return maxValue;
    }

    /** Full ("JPEG") range rather than limited (16..235 for 8-bit). */
    public boolean fullRange() {
        return fullRange;
    }

    /** The luma of nominal black: 0 in full range, 16 (scaled to the bit depth) in limited range. */
    public int blackLevel() {
        return fullRange ? 0 : 16 << depthShift();
    }

    /** The luma of nominal white: {@link #maxValue()} in full range, 235 (scaled to the bit depth) in limited. */
    public int whiteLevel() {
        return fullRange ? maxValue : 235 << depthShift();
    }

    /** Bits beyond 8 of the sample depth. */
    private int depthShift() {
        return Integer.numberOfTrailingZeros(Integer.highestOneBit(maxValue + 1)) - 8;
    }

    /** The decoder flagged this picture as damaged or concealed. */
    public boolean damaged() {
        return damaged;
    }

    /**
     * Damage the decoder logged but did not flag ({@code LoggedDecodeErrors}): how long before this picture it began
     * (seconds; 0: at this picture; more when the line came after earlier pictures were handed out), or NaN for none.
     * This picture carries it unless it is a keyframe.
     */
    public double loggedDamageBefore() {
        return loggedDamageBefore;
    }

    /** How many pictures the stream carried before this one that the decoder has not handed out (lost, or late). */
    public int missingBefore() {
        return missingBefore;
    }

    /**
     * Whether the decoder held this picture back through a stall and handed it out after pictures sent after it were
     * found lost (with the keyframe that ends the stall): its time is past, by as long as the stall lasted.
     */
    public boolean heldBack() {
        return heldBack;
    }

    /**
     * Whether the decoder that made this picture flags damage at all (FFmpeg's CPU decoders do; NVDEC's do not), so
     * that an unflagged picture is one the decoder believes intact.
     */
    public boolean decoderFlags() {
        return decoderFlags;
    }

    /**
     * The demuxer marked this picture's packet as damaged on the way in (MPEG-TS continuity lost, transport error
     * indicator): data is missing whichever decoder decodes it, a GPU's included.
     */
    public boolean dataLost() {
        return dataLost;
    }

    public boolean keyFrame() {
        return keyFrame;
    }

    /**
     * False for pictures that cannot be judged fairly: before the first keyframe after joining the stream (they
     * reference pictures the monitor never saw) and pictures flushed out at the end of the input (the last one may
     * be cut off).
     */
    public boolean trustworthy() {
        return trustworthy;
    }

    /** False for pictures before the first keyframe after joining the stream: they show what was never seen. */
    public boolean joined() {
        return joined;
    }

    /**
     * The picture rate the bitstream itself declares (H.264 and HEVC timing information, MPEG-2's frame rate code)
     * where the decoder's sequence and this picture's duration agree on it, else NaN: a stream that declares none, a
     * container that times each picture by the next one's timestamp (MP4), a new sequence with another rate.
     */
    public double declaredRate() {
        return declaredRate;
    }

    /** How long the picture shows, seconds (from the stream's frame rate). */
    public double duration() {
        return duration;
    }

    /** Presentation time in seconds on the stream's own clock. */
    public double pts() {
        return pts;
    }
}
