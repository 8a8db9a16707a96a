package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import java.util.List;

/**
 * The worker's configuration, passed by the operator as one JSON document in {@code MONOSCOPE_CONFIG}
 * (docs/architecture.md, "Worker configuration"). Credentials are never in here: they come as
 * {@code MONOSCOPE_SOURCE_USERNAME}, {@code MONOSCOPE_SOURCE_PASSWORD} and {@code MONOSCOPE_WEBHOOK_URL}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerConfig {

    public static final String ENV_CONFIG = "MONOSCOPE_CONFIG";
    public static final String ENV_SOURCE_USERNAME = "MONOSCOPE_SOURCE_USERNAME";
    public static final String ENV_SOURCE_PASSWORD = "MONOSCOPE_SOURCE_PASSWORD";
    public static final String ENV_WEBHOOK_URL = "MONOSCOPE_WEBHOOK_URL";
    public static final String ENV_POD_IP = "POD_IP";
    /** The pod's metadata.uid (downward API): the worker reports it as {@link WorkerReport#podUid}. */
    public static final String ENV_POD_UID = "MONOSCOPE_POD_UID";
    /** A PEM bundle of the CAs the worker trusts for its source (spec.source.tls.caBundle, mounted read-only). */
    public static final String ENV_CA_FILE = "MONOSCOPE_CA_FILE";
    /** "true": the worker does not verify its source's certificate (spec.source.tls.insecureSkipVerify). */
    public static final String ENV_INSECURE_SKIP_TLS_VERIFY = "MONOSCOPE_INSECURE_SKIP_TLS_VERIFY";

    public static final int PORT = 8080;

    public Source source = new Source();

    /** This shard's detectors: the enabled ones run, with these thresholds. */
    public DetectorsSpec detectors = new DetectorsSpec();

    /** auto, cpu or gpu. */
    public String decoder = "auto";

    public Shard shard = new Shard();

    /** The StreamMonitor this worker serves, for webhook messages. */
    public StreamRef stream;

    /** Webhook delivery; the URL itself comes from {@code MONOSCOPE_WEBHOOK_URL}. */
    public Webhook webhook = new Webhook();

    /** Where the defects' evidence (JPEGs, clips) goes in the pod; absent: none is saved. */
    public EvidenceFolder evidence;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Source {
        public String url;
        /** Programme to watch, from 1; null for the first. */
        public Integer program;
        /** Audio tracks of the programme, from 1; null or empty for all. */
        public List<Integer> audioTracks;
    }

    public static class Shard {
        public int index = 0;
        public int count = 1;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StreamRef {
        public String namespace;
        public String name;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EvidenceFolder {
        /** A folder on the pod's scratch volume. */
        public String dir;

        /** The folder's size cap, below the volume's limit: the oldest files go first. */
        public Long maxBytes;
    }

    public static class Webhook {
        /** Bounded queue of undelivered messages; the oldest are dropped (and counted) past it. */
        public int queueCapacity = 1000;

        public double timeoutSeconds = 5;
    }
}
