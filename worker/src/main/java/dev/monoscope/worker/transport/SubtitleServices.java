package dev.monoscope.worker.transport;

import dev.monoscope.api.worker.CaptionService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subtitle services the PMTs declare, which the bundled FFmpeg decodes none of: DVB subtitles (subtitling
 * descriptor 0x59), teletext subtitle pages (teletext descriptor 0x56, types 2 and 5) and ARIB captions (data component
 * descriptor 0xFD with data_component_id 0x0008). Keeps every service a PMT ever declared, so that one the PMT drops
 * is known as removed until a PMT declares it again. Fed by {@link PsiTables} on the analyser's thread; read on the
 * same thread.
 */
public final class SubtitleServices {

    private static final int DVB_SUBTITLING = 0x59;
    private static final int TELETEXT = 0x56;
    private static final int DATA_COMPONENT = 0xFD;
    private static final int ARIB_CAPTION_COMPONENT = 0x0008;
    private static final int TELETEXT_SUBTITLE = 0x02;
    private static final int TELETEXT_SUBTITLE_HEARING_IMPAIRED = 0x05;

    /** The services of each PMT PID's last PMT, by ES PID. */
    private final Map<Integer, Map<Integer, List<CaptionService>>> declared = new HashMap<>();
    /** Every service ever declared, by ES PID, in order of appearance. */
    private final Map<Integer, List<CaptionService>> ever = new LinkedHashMap<>();
    /** The CRC of each PMT PID's last PMT parsed: a repeated PMT is not parsed again. */
    private final Map<Integer, Integer> lastCrc = new HashMap<>();

    private long changes;

    /** Forgets everything: a new connection. */
    void reset() {
        declared.clear();
        ever.clear();
        lastCrc.clear();
        changes++;
    }

    /** A PMT section with a good CRC ({@code d[0..len)}) from PMT PID {@code pmtPid}. */
    void pmt(int pmtPid, byte[] d, int len) {
        int crc = ((d[len - 4] & 0xFF) << 24)
                | ((d[len - 3] & 0xFF) << 16)
                | ((d[len - 2] & 0xFF) << 8)
                | (d[len - 1] & 0xFF);
        Integer last = lastCrc.put(pmtPid, crc);
        if (last != null && last == crc) {
            return;
        }
        int program = ((d[3] & 0xFF) << 8) | (d[4] & 0xFF);
        int programInfo = ((d[10] & 0x0F) << 8) | (d[11] & 0xFF);
        int end = len - 4;
        Map<Integer, List<CaptionService>> services = new LinkedHashMap<>();
        for (int i = 12 + programInfo; i + 5 <= end; ) {
            int es = ((d[i + 1] & 0x1F) << 8) | (d[i + 2] & 0xFF);
            int infoLen = ((d[i + 3] & 0x0F) << 8) | (d[i + 4] & 0xFF);
            int from = i + 5;
            i = from + infoLen;
            List<CaptionService> found = new ArrayList<>();
            for (int k = from; k + 2 <= Math.min(i, end); k += 2 + (d[k + 1] & 0xFF)) {
                int tag = d[k] & 0xFF;
                int body = k + 2;
                int bodyEnd = Math.min(body + (d[k + 1] & 0xFF), Math.min(i, end));
                switch (tag) {
                    case DVB_SUBTITLING -> dvbSubtitles(program, es, d, body, bodyEnd, found);
                    case TELETEXT -> teletext(program, es, d, body, bodyEnd, found);
                    case DATA_COMPONENT -> aribCaption(program, es, d, body, bodyEnd, found);
                    default -> {}
                }
            }
            if (!found.isEmpty()) {
                services.put(es, found);
            }
        }
        declared.put(pmtPid, services);
        services.forEach(ever::putIfAbsent);
        changes++;
    }

    private static void dvbSubtitles(int program, int pid, byte[] d, int from, int to, List<CaptionService> out) {
        for (int i = from; i + 8 <= to; i += 8) {
            CaptionService s = new CaptionService(CaptionService.DVB_SUBTITLE, program, pid);
            s.language = language(d, i);
            s.type = d[i + 3] & 0xFF;
            out.add(s);
        }
    }

    private static void teletext(int program, int pid, byte[] d, int from, int to, List<CaptionService> out) {
        for (int i = from; i + 5 <= to; i += 5) {
            int type = (d[i + 3] & 0xFF) >> 3;
            if (type != TELETEXT_SUBTITLE && type != TELETEXT_SUBTITLE_HEARING_IMPAIRED) {
                continue; // an index page, programme schedule or additional information: not subtitles
            }
            CaptionService s = new CaptionService(CaptionService.TELETEXT, program, pid);
            s.language = language(d, i);
            s.type = type;
            int magazine = d[i + 3] & 0x07;
            int page = d[i + 4] & 0xFF; // two BCD digits
            s.page = (magazine == 0 ? 8 : magazine) * 100 + (page >> 4) * 10 + (page & 0x0F);
            out.add(s);
        }
    }

    private static void aribCaption(int program, int pid, byte[] d, int from, int to, List<CaptionService> out) {
        if (to - from >= 2 && (((d[from] & 0xFF) << 8) | (d[from + 1] & 0xFF)) == ARIB_CAPTION_COMPONENT) {
            out.add(new CaptionService(CaptionService.ARIB_CAPTION, program, pid));
        }
    }

    private static String language(byte[] d, int i) {
        StringBuilder s = new StringBuilder(3);
        for (int k = i; k < i + 3; k++) {
            char c = (char) (d[k] & 0xFF);
            s.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.toString();
    }

    /** Grows whenever a PMT changes what is declared (or the analysis starts over). */
    public long changes() {
        return changes;
    }

    /** Every service declared now, in order of appearance. */
    public List<CaptionService> current() {
        List<CaptionService> out = new ArrayList<>();
        ever.forEach((pid, services) -> {
            if (declaredNow(pid)) {
                out.addAll(services);
            }
        });
        return out;
    }

    /** The services a PMT declared before and declares no more, by ES PID. */
    public Map<Integer, List<CaptionService>> removed() {
        Map<Integer, List<CaptionService>> out = new LinkedHashMap<>();
        ever.forEach((pid, services) -> {
            if (!declaredNow(pid)) {
                out.put(pid, services);
            }
        });
        return out;
    }

    private boolean declaredNow(int pid) {
        for (Map<Integer, List<CaptionService>> services : declared.values()) {
            if (services.containsKey(pid)) {
                return true;
            }
        }
        return false;
    }
}
