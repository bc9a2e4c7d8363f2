package org.mcpidp.provisioning;

/** The IdP refused or failed a call; the message says which object and what the IdP answered (never a secret). */
public class ProvisioningException extends RuntimeException {

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProvisioningException(String message) {
        super(message);
    }
}
