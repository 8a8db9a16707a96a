package dev.monoscope.worker.transport;

/**
 * What one SCTE-35 splice_info_section says (SCTE 35 §9), decoded by {@link SpliceInfoSection}.
 *
 * @param command          splice_null, splice_schedule, splice_insert, time_signal, bandwidth_reservation,
 *                         private_command or encrypted (an encrypted section: its command cannot be read)
 * @param pts              the splice time, 90 kHz, pts_adjustment applied, modulo 2^33; null when immediate or none
 * @param eventId          splice_event_id, or a time_signal's segmentation_event_id; null when none
 * @param outOfNetwork     true for a break's start, false for its return; null when the command does not say
 * @param autoReturn       the break_duration's auto_return; null without a break_duration
 * @param cancel           the event (or segmentation event) is cancelled
 * @param durationSeconds  break_duration or segmentation_duration, seconds; null when none
 * @param segmentationType the first segmentation descriptor's segmentation_type_id; null when none
 */
public record SpliceInfo(
        String command,
        Long pts,
        Long eventId,
        Boolean outOfNetwork,
        Boolean autoReturn,
        boolean cancel,
        Double durationSeconds,
        Integer segmentationType) {}
