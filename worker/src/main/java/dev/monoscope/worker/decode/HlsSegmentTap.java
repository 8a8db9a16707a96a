package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_close;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avformat.avio_r8;
import static org.bytedeco.ffmpeg.global.avformat.avio_read_partial;
import static org.bytedeco.ffmpeg.global.avformat.avio_seek;
import static org.bytedeco.ffmpeg.global.avformat.avio_size;
import static org.bytedeco.ffmpeg.global.avformat.avio_tell;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import dev.monoscope.worker.source.Limits;
import dev.monoscope.worker.source.Origin;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Shows the transport analyser the MPEG-TS segments of an HLS stream that FFmpeg fetches itself, without a second
 * download. FFmpeg opens the playlists and segments through the format context's {@code io_open} / {@code io_close2}
 * hooks: this one opens each exactly as FFmpeg's default would ({@code avio_open2} with the context's protocol
 * allow-list and interrupt callback, so timeouts, stop and the allow-list work as before), and hands a segment whose
 * first byte is a TS sync byte to the demuxer through a wrapping I/O context whose reads also feed the analyser, a new
 * segment starting each time ({@link TsAnalyzer#segmentStarted()}). The input itself (the top playlist), playlist
 * reloads and non-TS segments (fMP4, packed audio) go through untouched.
 *
 * <p>The analyser follows one segment at a time. When FFmpeg fetches several playlists at once (variants while
 * probing, separate audio renditions), a segment opened beside another is analysed only if it is named like those
 * analysed so far (same address but for the last number of the file name); the others are read but not analysed.
 * Needs the HLS demuxer's {@code http_persistent} off: FFmpeg would reuse a kept-alive segment connection behind the
 * wrapper's back (and assert that it is not wrapped).
 */
final class HlsSegmentTap {

    private static final int BUFFER = 32 * 1024;
    private static final int SYNC = 0x47;
    private static final int PLAYLIST = '#';
    private static final Map<Long, Segment> SEGMENTS = new ConcurrentHashMap<>();
    private static final IoOpen IO_OPEN = new IoOpen();
    private static final IoClose IO_CLOSE = new IoClose();
    private static final SegmentRead READ = new SegmentRead();
    private static final SegmentSeek SEEK = new SegmentSeek();

    /** Null when the transport is not analysed: the hook then only opens, with the options below. */
    private final TsAnalyzer analyzer;
    /** FFmpeg's TLS options (verification, CA file): the HLS demuxer does not pass them on to what it opens. */
    private final Map<String, String> tlsOptions;
    /** The source's origin: user-info (credentials) in an address of another origin is dropped. */
    private final Origin sourceOrigin;

    /** Bounds how many playlists and segments FFmpeg opens (a playlist naming itself would loop). */
    private final OpenBudget budget = new OpenBudget();

    private final byte[] bytes = new byte[BUFFER];
    /** The first io_open is the input itself (its context is closed with avio_close, never through the hook). */
    private boolean inputOpened;

    private int openSegments;
    private Segment analysed;
    /** The analysed segments' name pattern. */
    private String pattern;

    /** One TS segment FFmpeg reads through the wrapper. */
    private static final class Segment {
        final HlsSegmentTap tap;
        final AVIOContext inner;
        final IntPointer opaque = new IntPointer(1);
        final boolean analysed;
        /** A playlist FFmpeg reloads: read up to {@link Limits#MAX_PLAYLIST_BYTES}, not a segment. */
        final boolean playlist;

        long bytesRead;
        AVIOContext wrapper;
        ReadPosition position;

        Segment(HlsSegmentTap tap, AVIOContext inner, boolean analysed, boolean playlist) {
            this.tap = tap;
            this.inner = inner;
            this.analysed = analysed;
            this.playlist = playlist;
        }
    }

    private HlsSegmentTap(TsAnalyzer analyzer, Map<String, String> tlsOptions, Origin sourceOrigin) {
        this.analyzer = analyzer;
        this.tlsOptions = tlsOptions;
        this.sourceOrigin = sourceOrigin;
    }

    /**
     * Installs the hooks on a format context not yet opened, whose opaque is its {@link InputContext}'s (the hook
     * finds the tap through {@link IoCallbacks#segmentTapOf}). The analyser starts over.
     */
    static HlsSegmentTap install(
            AVFormatContext fmt, Pointer opaque, TsAnalyzer analyzer, Map<String, String> tlsOptions, Origin source) {
        if (analyzer != null) {
            analyzer.reset();
        }
        fmt.opaque(opaque);
        fmt.io_open(IO_OPEN);
        fmt.io_close2(IO_CLOSE);
        return new HlsSegmentTap(analyzer, tlsOptions, source);
    }

    /** The address to open: without user-info when it points at another origin than the source's. */
    String ownCredentialsOnly(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme < 0 || at < 0) {
            return url;
        }
        int end = url.indexOf('/', scheme + 3);
        if (end >= 0 && at > end) {
            return url; // an @ in the path
        }
        Origin origin = Origin.of(url);
        return origin != null && origin.equals(sourceOrigin)
                ? url
                : url.substring(0, scheme + 3) + url.substring(at + 1);
    }

    /** FFmpeg opened {@code *pb}: wraps it when it is a TS segment. */
    private int opened(PointerPointer pb, BytePointer url, int flags) {
        AVIOContext inner = new AVIOContext(pb.get(0));
        if (!inputOpened) {
            inputOpened = true;
            return 0;
        }
        if ((flags & AVIO_FLAG_WRITE) != 0) {
            return 0;
        }
        // peek at the first byte, then go back: it is still in the context's buffer
        long start = avio_tell(inner);
        int first = avio_r8(inner);
        if (avio_seek(inner, start, 0) != start) {
            avio_closep(pb);
            return AVERROR_EOF();
        }
        if (first == PLAYLIST) { // a reload: the worker read the first one within the limit, FFmpeg reads the rest
            Segment playlist = new Segment(this, inner, false, true);
            wrap(playlist, start);
            pb.put(0, playlist.wrapper);
            return 0;
        }
        if (first != SYNC || analyzer == null) {
            return 0; // not MPEG-TS, or no analyser
        }
        String name = pattern(url.getString());
        // alone, a segment is analysed; beside another, only if named like those analysed so far
        boolean analyse = analysed == null && (openSegments == 0 || pattern == null || pattern.equals(name));
        Segment s = new Segment(this, inner, analyse, false);
        wrap(s, start);
        openSegments++;
        if (analyse) {
            analysed = s;
            pattern = name;
            analyzer.segmentStarted();
        }
        pb.put(0, s.wrapper);
        return 0;
    }

    private static void wrap(Segment s, long start) {
        s.position = new ReadPosition(start);
        BytePointer buffer = new BytePointer(av_malloc(BUFFER)).capacity(BUFFER);
        s.wrapper = avio_alloc_context(buffer, BUFFER, 0, s.opaque, READ, null, SEEK);
        s.wrapper.seekable(s.inner.seekable());
        SEGMENTS.put(s.opaque.address(), s);
    }

    /**
     * A segment's address with the last number of its file name left out: seg1001.ts and seg1002.ts are one
     * rendition, 720p_0012.ts and 480p_0012.ts two.
     */
    static String pattern(String url) {
        String path = url;
        try {
            URI uri = URI.create(url);
            if (uri.getRawPath() != null) {
                path = uri.getRawAuthority() + uri.getRawPath();
            }
        } catch (IllegalArgumentException e) {
            // not a URI: the whole string
        }
        int slash = path.lastIndexOf('/') + 1;
        return path.substring(0, slash) + path.substring(slash).replaceFirst("[0-9]+(?=[^0-9]*$)", "#");
    }

    private int read(Segment s, BytePointer buf, int size) {
        int n = avio_read_partial(s.inner, buf, Math.min(size, BUFFER));
        if (n == 0) {
            return AVERROR_EOF();
        }
        if (n < 0) {
            return n;
        }
        s.bytesRead += n;
        if (s.playlist && s.bytesRead > Limits.MAX_PLAYLIST_BYTES) {
            return AVERROR_INVALIDDATA; // FFmpeg would keep every line of it
        }
        int fresh = s.position.read(n);
        if (s.analysed && fresh > 0) {
            buf.position(0).get(bytes, 0, n);
            analyzer.feed(bytes, n - fresh, fresh);
        }
        return n;
    }

    private long seek(Segment s, long offset, int whence) {
        if ((whence & AVSEEK_SIZE) != 0) {
            return avio_size(s.inner);
        }
        long to = avio_seek(s.inner, offset, whence);
        if (to >= 0) {
            s.position.seek(to);
        }
        return to;
    }

    private void closed(Segment s) {
        if (s.playlist) {
            return;
        }
        openSegments--;
        if (analysed == s) {
            analysed = null;
            analyzer.segmentEnded();
        }
    }

    /** Opens every playlist and segment as FFmpeg's default io_open does; wraps TS segments. */
    private static final class IoOpen
            extends AVFormatContext.Io_open_AVFormatContext_PointerPointer_BytePointer_int_PointerPointer {
        @Override
        public int call(AVFormatContext s, PointerPointer pb, BytePointer url, int flags, PointerPointer options) {
            try {
                PointerPointer dict = options;
                PointerPointer own = null;
                if (dict == null || dict.isNull()) {
                    own = new PointerPointer(1);
                    own.put(0, null);
                    dict = own;
                }
                allow(dict, "protocol_whitelist", s.protocol_whitelist());
                allow(dict, "protocol_blacklist", s.protocol_blacklist());
                Pointer key = s.opaque();
                HlsSegmentTap tap = key == null || key.isNull() ? null : IoCallbacks.segmentTapOf(key.address());
                int ret;
                if (tap == null) {
                    ret = avio_open2(pb, url, flags, s.interrupt_callback(), dict);
                } else if (!tap.budget.take()) {
                    ret = AVERROR_INVALIDDATA;
                } else {
                    for (Map.Entry<String, String> o : tap.tlsOptions.entrySet()) {
                        try (BytePointer k = new BytePointer(o.getKey());
                                BytePointer v = new BytePointer(o.getValue())) {
                            av_dict_set(dict, k, v, 0);
                        }
                    }
                    try (BytePointer address = new BytePointer(tap.ownCredentialsOnly(url.getString()))) {
                        ret = avio_open2(pb, address, flags, s.interrupt_callback(), dict);
                    }
                }
                if (own != null) {
                    av_dict_free(own);
                    own.close();
                }
                return ret < 0 || tap == null ? ret : tap.opened(pb, url, flags);
            } catch (RuntimeException e) {
                return AVERROR_EXIT();
            }
        }

        private static void allow(PointerPointer dict, String name, BytePointer list) {
            if (list != null && !list.isNull()) {
                try (BytePointer k = new BytePointer(name)) {
                    av_dict_set(dict, k, list, 0);
                }
            }
        }
    }

    /** Closes what {@link IoOpen} opened: a wrapper with its segment, anything else as FFmpeg's default does. */
    private static final class IoClose extends AVFormatContext.Io_close2_AVFormatContext_AVIOContext {
        @Override
        public int call(AVFormatContext s, AVIOContext pb) {
            if (pb == null || pb.isNull()) {
                return 0;
            }
            Pointer opaque = pb.opaque();
            Segment seg = opaque == null || opaque.isNull() ? null : SEGMENTS.remove(opaque.address());
            if (seg == null) {
                return avio_close(pb);
            }
            seg.tap.closed(seg);
            int ret = avio_close(seg.inner);
            av_free(pb.buffer());
            pb.buffer(null);
            avio_context_free(pb);
            seg.opaque.close();
            return ret;
        }
    }

    private static final class SegmentRead extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            Segment s = opaque == null ? null : SEGMENTS.get(opaque.address());
            if (s == null) {
                return AVERROR_EXIT();
            }
            try {
                return s.tap.read(s, buf, size);
            } catch (RuntimeException e) {
                return AVERROR_EXIT();
            }
        }
    }

    private static final class SegmentSeek extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            Segment s = opaque == null ? null : SEGMENTS.get(opaque.address());
            return s == null ? -1 : s.tap.seek(s, offset, whence);
        }
    }
}
