package io.vmconfig.cli;

import io.vmconfig.core.repo.BlobStoreOpener;
import java.security.SecureRandom;
import java.time.Clock;

/** What repository commands get from the composition root: the store adapters, the clock and randomness. */
public record RepoEnvironment(BlobStoreOpener opener, Clock clock, SecureRandom random) {}
