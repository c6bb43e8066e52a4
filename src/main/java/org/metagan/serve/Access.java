package org.metagan.serve;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may use the dashboard. Bound to a loopback address it answers only requests addressed to a loopback name (a Host
 * header of {@code localhost}, {@code 127.0.0.1} or {@code [::1]}: a page of another site cannot reach it through a DNS
 * name of its own); bound to any other address it requires the token printed at start on every request, as the header
 * {@value #HEADER}, the query parameter {@value #QUERY} or the cookie set when the query parameter was right (so that a
 * browser's links, images and event stream carry it). A form or upload (POST) from a page of another origin is refused.
 */
final class Access {
    static final String HEADER = "X-Metagan-Token";
    static final String QUERY = "token";
    static final String COOKIE = "metagan-token";

    private final String token;
    private final boolean loopback;

    private Access(String token, boolean loopback) {
        this.token = token;
        this.loopback = loopback;
    }

    /** The rules for a server bound to {@code bind}: a token (the given one, or a new random one) unless it is a loopback address. */
    static Access forBind(InetAddress bind, String token) {
        boolean loopback = bind.isLoopbackAddress();
        return new Access(loopback ? token : token != null ? token : newToken(), loopback);
    }

    /** 24 random bytes, URL-safe base64 (32 characters). */
    static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The token every request must carry, or null when none is required. */
    String token() {
        return token;
    }

    /** Refuses the request unless it is allowed: 401 without a token where one is required, 403 with a wrong one or another host or origin. */
    void check(Context ctx) {
        if (loopback && !loopbackHost(ctx.header("Host"))) {
            throw Refused.forbidden("this dashboard answers only requests to localhost");
        }
        if (token != null) {
            String header = ctx.header(HEADER);
            String query = ctx.queryParam(QUERY);
            String given = header != null ? header : query != null ? query : ctx.cookie(COOKIE);
            if (given == null || given.isEmpty()) {
                throw new Refused(401, "this dashboard requires the token printed at its start (header " + HEADER + " or ?" + QUERY + "=...)");
            }
            if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                throw Refused.forbidden("wrong token");
            }
            if (query != null && header == null) {
                ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
            }
        }
        if (ctx.method() == HandlerType.POST) {
            String origin = ctx.header("Origin");
            String host = ctx.header("Host");
            if (origin != null && !origin.equals("null") && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
                throw Refused.forbidden("a form of another site (origin " + origin + ") cannot post to this dashboard");
            }
            if ("null".equals(origin)) {
                throw Refused.forbidden("a form of an opaque origin cannot post to this dashboard");
            }
        }
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        String name = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.contains(":") ? h.substring(0, h.indexOf(':')) : h;
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }
}
