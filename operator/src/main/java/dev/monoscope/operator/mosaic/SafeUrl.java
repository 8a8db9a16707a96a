package dev.monoscope.operator.mosaic;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A source URL as the mosaic may show it to anyone who reaches the page: scheme, host, port and path only. User info
 * and the query (where signed URLs keep their tokens) are dropped, and anything that does not parse is not shown.
 */
final class SafeUrl {

    private SafeUrl() {}

    static String of(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return "(not shown)";
            }
            String port = u.getPort() < 0 ? "" : ":" + u.getPort();
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            String query = u.getRawQuery() == null ? "" : "?…";
            return u.getScheme() + "://" + u.getHost() + port + path + query;
        } catch (URISyntaxException e) {
            return "(not shown)";
        }
    }
}
