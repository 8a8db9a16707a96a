package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One SCTE-35 cue, as the worker reports it (JSON Lines {@code cue} event, the report's {@code lastCues}): from a
 * splice_info_section in the transport stream ({@code source: ts}) or a tag of an HLS playlist ({@code hls}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Cue {

    @JsonPropertyDescription("ts (a splice_info_section on an MPEG-TS PID) or hls (a playlist tag).")
    public String source;

    @JsonPropertyDescription("splice_insert, time_signal, splice_null, bandwidth_reservation, splice_schedule, "
            + "private_command; for an HLS CUE-IN or DATERANGE end without a section, splice_insert.")
    public String command;

    @JsonPropertyDescription("The PID the section came on (ts only).")
    public Integer pid;

    @JsonPropertyDescription("splice_event_id, or the segmentation_event_id of a time_signal's descriptor.")
    public Long eventId;

    @JsonPropertyDescription("True for a break start (out of network), false for a return.")
    public Boolean outOfNetwork;

    @JsonPropertyDescription("True when the splice device returns by itself at the end of the break.")
    public Boolean autoReturn;

    @JsonPropertyDescription("True when the cue cancels an earlier one.")
    public Boolean cancel;

    @JsonPropertyDescription("The break's duration, seconds.")
    public Double duration;

    @JsonPropertyDescription("segmentation_type_id of a time_signal's segmentation descriptor (e.g. 52 provider "
            + "placement opportunity start).")
    public Integer segmentationType;

    @JsonPropertyDescription("The splice time, 90 kHz PTS with pts_adjustment applied, modulo 2^33.")
    public Long pts;

    @JsonPropertyDescription("When it takes effect, seconds on the monitor's media clock (immediate cues: when seen).")
    public Double time;
}
