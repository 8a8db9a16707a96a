package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One caption or subtitle service the stream carries, as the report and the summary list it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaptionService {

    public static final String CEA608 = "cea608";
    public static final String CEA708 = "cea708";
    public static final String DVB_SUBTITLE = "dvb_subtitle";
    public static final String TELETEXT = "teletext";
    public static final String ARIB_CAPTION = "arib_caption";
    public static final String HLS_RENDITION = "hls_rendition";

    @JsonPropertyDescription("cea608, cea708, dvb_subtitle, teletext, arib_caption or hls_rendition.")
    public String kind;

    @JsonPropertyDescription("The programme number whose PMT declares it (MPEG-TS).")
    public Integer program;

    @JsonPropertyDescription("The PID that carries it: the video PID for CEA-608/708 (MPEG-TS).")
    public Integer pid;

    @JsonPropertyDescription("ISO 639 language code, or an HLS rendition's LANGUAGE.")
    public String language;

    @JsonPropertyDescription("DVB subtitling_type or teletext_type, as the descriptor says.")
    public Integer type;

    @JsonPropertyDescription("Teletext page (magazine and page, e.g. 888).")
    public Integer page;

    @JsonPropertyDescription("HLS rendition: SUBTITLES or CLOSED-CAPTIONS.")
    public String rendition;

    @JsonPropertyDescription("HLS rendition: its NAME.")
    public String name;

    @JsonPropertyDescription("HLS closed captions: INSTREAM-ID (CC1-CC4, SERVICE1-63).")
    public String instreamId;

    public CaptionService() {}

    public CaptionService(String kind, Integer program, Integer pid) {
        this.kind = kind;
        this.program = program;
        this.pid = pid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptionService c
                && Objects.equals(kind, c.kind)
                && Objects.equals(program, c.program)
                && Objects.equals(pid, c.pid)
                && Objects.equals(language, c.language)
                && Objects.equals(type, c.type)
                && Objects.equals(page, c.page)
                && Objects.equals(rendition, c.rendition)
                && Objects.equals(name, c.name)
                && Objects.equals(instreamId, c.instreamId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, program, pid, language, type, page, rendition, name, instreamId);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind);
        if (language != null) {
            s.append(' ').append(language);
        }
        if (page != null) {
            s.append(" page ").append(page);
        }
        if (instreamId != null) {
            s.append(' ').append(instreamId);
        }
        if (pid != null) {
            s.append(" (PID ").append(pid).append(')');
        }
        return s.toString();
    }
}
