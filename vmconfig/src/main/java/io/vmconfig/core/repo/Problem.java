package io.vmconfig.core.repo;

/** One corrupt, missing or unverifiable object, by name, with what is wrong. */
public record Problem(String object, String message) {
    @Override
    public String toString() {
        return object + ": " + message;
    }
}
