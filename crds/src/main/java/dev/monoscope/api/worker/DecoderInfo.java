package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** Where the worker decodes, and why when that is not what was asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DecoderInfo {

    public static final String CPU = "cpu";
    public static final String CUDA = "cuda";

    /** {@code cpu} or {@code cuda}. */
    public String type;

    /** What was asked for: auto, cpu or gpu. */
    public String requested;

    /** Why decoding is not where it was asked to be (e.g. no CUDA device), absent otherwise. */
    public String reason;

    public DecoderInfo() {}

    public DecoderInfo(String type, String requested, String reason) {
        this.type = type;
        this.requested = requested;
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoderInfo d
                && Objects.equals(type, d.type)
                && Objects.equals(requested, d.requested)
                && Objects.equals(reason, d.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, requested, reason);
    }
}
