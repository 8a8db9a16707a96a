/**
 * Prints the path of the ffmpeg executable that the bundled FFmpeg natives jar carries, unpacking it into JavaCPP's
 * cache first (run-gpu-check.sh generates its clip and streams with it). Compiled into the bundle: nothing is built
 * on the GPU machine.
 */
public final class FfmpegPath {

    private FfmpegPath() {
    }

    public static void main(String[] args) {
        System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }
}
