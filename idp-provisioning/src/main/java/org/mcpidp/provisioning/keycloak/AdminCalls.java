package org.mcpidp.provisioning.keycloak;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.mcpidp.provisioning.ProvisioningException;

/**
 * How every Admin REST API call is made: failures become a {@link ProvisioningException} saying what was attempted
 * and what Keycloak answered, and every write is counted (re-applying an unchanged spec must cost zero writes, and
 * tests assert that) against an optional budget (tests simulate an apply killed half-way). One instance per
 * connection, shared by the gateways, so the count covers all of them.
 */
final class AdminCalls implements AutoCloseable {

    private final Keycloak keycloak;
    private final AtomicLong writes = new AtomicLong();
    private volatile long budget = Long.MAX_VALUE;

    AdminCalls(Keycloak keycloak) {
        this.keycloak = keycloak;
    }

    Keycloak keycloak() {
        return keycloak;
    }

    RealmResource realm(String realm) {
        return keycloak.realm(realm);
    }

    long writes() {
        return writes.get();
    }

    /** After {@code remaining} more writes, every further write throws {@link WriteBudgetExhausted}. */
    void writeBudget(long remaining) {
        budget = writes.get() + remaining;
    }

    /** A write without a result (most Admin API writes answer 204). */
    void write(String what, Runnable call) {
        write(what, () -> {
            call.run();
            return null;
        });
    }

    <T> T write(String what, Supplier<T> call) {
        if (writes.get() >= budget) {
            throw new WriteBudgetExhausted(what);
        }
        writes.incrementAndGet();
        return call(what, call);
    }

    <T> T read(String what, Supplier<T> call) {
        return call(what, call);
    }

    @Override
    public void close() {
        keycloak.close();
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            throw new ProvisioningException(what + ": Keycloak answered HTTP " + e.getResponse().getStatus()
                    + answer(e.getResponse()), e);
        } catch (jakarta.ws.rs.ProcessingException e) {
            // The admin client gets its token inside the call: a refused login surfaces here as a bare
            // "HTTP 400/401", a stopped Keycloak as a ConnectException. Say which one, in words.
            if (e.getCause() instanceof WebApplicationException refused) {
                throw new ProvisioningException(what + ": Keycloak refused the admin login (HTTP "
                        + refused.getResponse().getStatus() + "); check KEYCLOAK_ADMIN_USER/KEYCLOAK_ADMIN_PASSWORD "
                        + "or KEYCLOAK_ADMIN_CLIENT_ID/KEYCLOAK_ADMIN_CLIENT_SECRET and KEYCLOAK_ADMIN_REALM", e);
            }
            throw new ProvisioningException(what + ": could not connect to Keycloak: " + e.getMessage(), e);
        }
    }

    private static String answer(Response response) {
        try {
            String body = response.readEntity(String.class);
            return body == null || body.isBlank() ? "" : " " + body.substring(0, Math.min(300, body.length()));
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The id of a created object: the last path segment of {@code Location}. */
    static String created(Response response) {
        try (response) {
            check(response);
            String location = response.getHeaderString("Location");
            return location == null ? "" : location.substring(location.lastIndexOf('/') + 1);
        }
    }

    static void check(Response response) {
        if (response.getStatus() >= 300) {
            throw new WebApplicationException(response);
        }
    }

    /** Thrown instead of a write once the budget set by {@link #writeBudget} is used up. */
    static final class WriteBudgetExhausted extends ProvisioningException {
        WriteBudgetExhausted(String what) {
            super("write budget exhausted before: " + what);
        }
    }
}
