package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The files saved for a defect (with an evidence folder): a JPEG of its first picture and a clip around its start,
 * remuxed as recorded (MPEG-TS) and as MP4. File names only, relative to the evidence folder; the worker serves them
 * at {@code GET /api/v1/evidence/<file>}. The clip's files exist once the {@code evidence} event says so.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Evidence {

    @JsonPropertyDescription("The JPEG of the defect's first picture (video defects).")
    public String jpeg;

    @JsonPropertyDescription(
            "The clip as recorded (MPEG-TS), from the keyframe at or before start - 5 s to start + 5 s.")
    public String clip;

    @JsonPropertyDescription("The same clip as MP4, for browsers.")
    public String mp4;

    @JsonPropertyDescription("Where the clip starts, on the media clock; absent until it is written.")
    public Double clipStart;

    @JsonPropertyDescription("Where the clip ends, on the media clock; absent until it is written.")
    public Double clipEnd;

    public Evidence copy() {
        Evidence e = new Evidence();
        e.jpeg = jpeg;
        e.clip = clip;
        e.mp4 = mp4;
        e.clipStart = clipStart;
        e.clipEnd = clipEnd;
        return e;
    }
}
