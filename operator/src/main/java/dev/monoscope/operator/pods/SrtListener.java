package dev.monoscope.operator.pods;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A source that is an SRT listener ({@code srt://[host]:port?…mode=listener…}): the worker's pod declares its port. */
final class SrtListener {

    private static final Pattern LISTENER =
            Pattern.compile("^srt://[^/?#]*:([0-9]{1,5})(?:[/]?)\\?(?:.*&)?mode=listener(?:&.*)?$");

    private SrtListener() {}

    /** The UDP port the worker listens on for this source URL, as a container port; none for any other source. */
    static List<ContainerPort> ports(String url) {
        if (url == null) {
            return List.of();
        }
        Matcher m = LISTENER.matcher(url.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return List.of();
        }
        int port = Integer.parseInt(m.group(1));
        if (port < 1 || port > 65535) {
            return List.of();
        }
        return List.of(new ContainerPortBuilder()
                .withName("srt")
                .withContainerPort(port)
                .withProtocol("UDP")
                .build());
    }
}
