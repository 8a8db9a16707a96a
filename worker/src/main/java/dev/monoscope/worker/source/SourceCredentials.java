package dev.monoscope.worker.source;

import java.net.URI;
import java.util.Optional;

/**
 * A source's credentials, bound to the source's origin (scheme, host and port): they go with a request to that origin
 * only, never to another host a master playlist or a redirect names.
 */
public record SourceCredentials(Origin origin, String authorization) {

    /** No credentials. */
    public static final SourceCredentials NONE = new SourceCredentials(null, null);

    /**
     * The credentials in the URL's user-info, bound to its origin; also the URL without them. A URL without user-info
     * gives {@link #NONE}.
     */
    public static Split split(String url) {
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return new Split(uri, NONE);
        }
        String[] credentials = SourceUrl.credentials(userInfo);
        URI plain = URI.create(url.replaceFirst("://[^/?#]*@", "://"));
        SourceCredentials c = credentials[0].isEmpty()
                ? NONE
                : new SourceCredentials(Origin.of(plain), SourceUrl.basicAuthorization(credentials[0], credentials[1]));
        return new Split(plain, c);
    }

    /** A URL without its user-info, and the credentials it held. */
    public record Split(URI uri, SourceCredentials credentials) {}

    /** The Authorization header for a request to {@code uri}: only when it goes to the credentials' own origin. */
    public Optional<String> authorizationFor(URI uri) {
        return authorization != null && origin != null && origin.equals(Origin.of(uri))
                ? Optional.of(authorization)
                : Optional.empty();
    }
}
