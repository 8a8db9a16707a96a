package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import dev.monoscope.worker.source.SourceUrl;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVProgram;

/**
 * The streams of an opened input to decode: the programme's first video stream and its audio tracks.
 *
 * @param videoIndex   the video stream's index, or -1 for none
 * @param audioIndexes the audio streams' indexes
 * @param audioNumbers their track numbers in the programme, from 1
 */
record StreamSelection(int videoIndex, List<Integer> audioIndexes, List<Integer> audioNumbers) {

    /**
     * @param program     programme to watch, from 1 (or its programme number), or null for the first
     * @param audioTracks audio tracks of that programme, from 1, or null/empty for all
     */
    static StreamSelection choose(AVFormatContext fmt, Integer program, List<Integer> audioTracks, SourceUrl source)
            throws UnsupportedStreamException {
        int videoIndex = -1;
        List<Integer> audioIndexes = new ArrayList<>();
        for (int i : candidates(fmt, program, source)) {
            AVCodecParameters par = fmt.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO
                    && videoIndex < 0
                    && par.codec_id() != 0
                    && (fmt.streams(i).disposition() & 0x400) == 0) { // not an attached picture
                videoIndex = i;
            } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && par.codec_id() != 0) {
                audioIndexes.add(i);
            }
        }
        // tracks keep their number in the programme (--audio-track 3 alone is reported as track 3)
        List<Integer> audioNumbers = new ArrayList<>();
        for (int t = 1; t <= audioIndexes.size(); t++) {
            audioNumbers.add(t);
        }
        if (audioTracks != null && !audioTracks.isEmpty()) {
            List<Integer> picked = new ArrayList<>();
            for (int t : audioTracks) {
                if (t < 1 || t > audioIndexes.size()) {
                    throw new UnsupportedStreamException("audio track " + t + " not found: the programme has "
                            + audioIndexes.size() + " audio track(s)");
                }
                picked.add(audioIndexes.get(t - 1));
            }
            audioIndexes = picked;
            audioNumbers = List.copyOf(audioTracks);
        }
        if (videoIndex < 0 && audioIndexes.isEmpty()) {
            throw new UnsupportedStreamException("no video or audio stream in " + source);
        }
        return new StreamSelection(videoIndex, audioIndexes, audioNumbers);
    }

    /** The streams of the programme, or every stream when the input has no programmes. */
    private static List<Integer> candidates(AVFormatContext fmt, Integer program, SourceUrl source)
            throws UnsupportedStreamException {
        List<Integer> candidates = new ArrayList<>();
        if (program != null && fmt.nb_programs() > 0) {
            int index = program - 1;
            if (index < 0 || index >= fmt.nb_programs()) {
                // not a position: perhaps the programme number (service id) itself
                index = -1;
                for (int i = 0; i < fmt.nb_programs(); i++) {
                    if (fmt.programs(i).program_num() == program) {
                        index = i;
                    }
                }
            }
            if (index < 0) {
                throw new UnsupportedStreamException("programme " + program + " not found: " + source + " has "
                        + fmt.nb_programs() + " programme(s)");
            }
            AVProgram p = fmt.programs(index);
            for (int i = 0; i < p.nb_stream_indexes(); i++) {
                candidates.add(p.stream_index().get(i));
            }
        } else if (program != null && program != 1) {
            throw new UnsupportedStreamException(
                    "programme " + program + " not found: " + source + " has one programme");
        } else if (fmt.nb_programs() > 0) {
            AVProgram p = fmt.programs(0);
            for (int i = 0; i < p.nb_stream_indexes(); i++) {
                candidates.add(p.stream_index().get(i));
            }
        }
        if (candidates.isEmpty()) {
            for (int i = 0; i < fmt.nb_streams(); i++) {
                candidates.add(i);
            }
        }
        return candidates;
    }
}
