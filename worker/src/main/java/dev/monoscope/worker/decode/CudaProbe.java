package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_HWDEVICE_TYPE_CUDA;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_hwdevice_ctx_create;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Whether CUDA is usable in this process: FFmpeg loads the driver (libcuda.so.1, mounted into a pod by the NVIDIA
 * container toolkit) at run time and opens device 0. Asked once; the answer does not change while the process runs.
 */
final class CudaProbe {

    private static volatile String problem;
    private static volatile boolean probed;

    private CudaProbe() {}

    /** Null when a CUDA device opened, else why not, as the report's reason says it. */
    static String problem() {
        if (!probed) {
            synchronized (CudaProbe.class) {
                if (!probed) {
                    problem = probe();
                    probed = true;
                }
            }
        }
        return problem;
    }

    private static String probe() {
        FFmpegLog.installQuiet();
        AVBufferRef device = new AVBufferRef(null);
        int ret = av_hwdevice_ctx_create(device, AV_HWDEVICE_TYPE_CUDA, (String) null, (AVDictionary) null, 0);
        if (ret < 0) {
            byte[] buf = new byte[256];
            av_strerror(ret, buf, buf.length);
            int len = 0;
            while (len < buf.length && buf[len] != 0) {
                len++;
            }
            return "no usable CUDA device (the driver or device 0 did not open: " + new String(buf, 0, len) + ")";
        }
        av_buffer_unref(device);
        return null;
    }
}
