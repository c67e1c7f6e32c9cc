# The shared cache in front of the portal (docker-compose.yml, service "varnish"): it answers
# anonymous visitors from memory and forgets exactly what the portal tells it to.
#
#   visitor -> varnish:80 (this cache) -> proxy:80 (nginx: media, buffering, the web replicas) -> web:8000
#
# What is cached is what the portal marks public (cms/caching.py: anonymous GET/HEAD, no cookie set,
# Cache-Control "public, s-maxage=300"); anything with a session, an Authorization header or a
# method other than GET/HEAD goes straight through. Responses name what they show in an "xkey"
# header; after a change commits, the portal sends "PURGE" with an "xkey-purge: <tags>" header
# (cms/frontend_purge.py) and every cached response carrying one of those tags is dropped. Only the
# portal's own containers may purge (acl purgers).
vcl 4.1;

import std;
import xkey;

backend portal {
    .host = "proxy";
    .port = "80";
    .connect_timeout = 5s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
}

# The addresses compose hands out to containers on the portal's network (docker-compose.yml,
# networks.default.ipam: ip_range). The network's gateway, through which published ports and the
# host reach this cache, lies outside that range.
acl purgers {
    "localhost";
    "172.28.0.128"/25;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method == "BAN") {
        return (synth(405, "Not allowed"));
    }
    # A client never names cache tags, and never skips the cache's notion of who it is.
    unset req.http.xkey-purge;

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Signed-in visitors (session) and pending one-time messages see personal pages: never cached.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Anyone else is anonymous: what they send in cookies (a CSRF token from an earlier form) does
    # not change the public page, which the portal renders the same without it.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # The built-in logic then refuses to store responses with Set-Cookie, "private", "no-cache",
    # "no-store" or no lifetime; errors are never kept.
    if (beresp.status >= 500) {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # After its lifetime, a page may be served while it is fetched anew, for ten seconds at most.
    set beresp.grace = 10s;
}

sub vcl_deliver {
    # The tags are for this cache only.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
