package io.vmconfig.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmconfig.core.VmConfigException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Reused DEFLATE streams write exactly what a new stream writes, whatever the previous use was (another dictionary,
 * none, a hostile frame that failed), and threads never share one. Seeded: {@code -Dzlib.seed=N} replays a run.
 */
class ZlibTest {
    private static final long SEED = Long.getLong("zlib.seed", 20261205L);

    @Test
    void aReusedStreamWritesTheBytesOfANewOneAfterAnyEarlierUse() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 300; round++) {
            byte[] plain = text(random, random.nextInt(0, 12_000));
            Optional<byte[]> dict =
                    random.nextBoolean() ? Optional.of(text(random, random.nextInt(1, 32_768))) : Optional.empty();
            byte[] pooled = BundleCompression.deflate(plain, dict);
            assertThat(pooled).as("seed %d round %d", SEED, round).isEqualTo(FreshDeflater.deflate(plain, dict));
            assertThat(BundleCompression.inflate(pooled, 0, plain.length, dict, "round " + round))
                    .as("seed %d round %d", SEED, round)
                    .isEqualTo(plain);
            if (round % 7 == 0) {
                // a hostile frame fails with INTEGRITY and leaves no stream behind that remembers it
                byte[] bad = pooled.clone();
                if (bad.length > 0) {
                    bad[bad.length / 2] ^= (byte) 0xff;
                }
                try {
                    byte[] out = BundleCompression.inflate(bad, 0, plain.length, dict, "tampered frame");
                    assertThat(out).hasSize(plain.length);
                } catch (VmConfigException e) {
                    assertThat(e.kind()).isEqualTo(VmConfigException.Kind.INTEGRITY);
                }
                assertThatThrownBy(() -> BundleCompression.inflate(pooled, 0, plain.length + 1L, dict, "long claim"))
                        .isInstanceOf(VmConfigException.class)
                        .hasMessageContaining("long claim");
            }
        }
    }

    @Test
    void streamsUsedOnManyThreadsAtOnceKeepEachAnswerApart() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Zlib.KEPT * 2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < Zlib.KEPT * 2; t++) {
                long seed = SEED + t;
                runs.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < 150; i++) {
                        byte[] plain = text(random, random.nextInt(1, 6_000));
                        Optional<byte[]> dict =
                                i % 2 == 0 ? Optional.of(text(random, random.nextInt(1, 8_000))) : Optional.empty();
                        byte[] frame = BundleCompression.deflate(plain, dict);
                        assertThat(frame).as("seed %d item %d", seed, i).isEqualTo(FreshDeflater.deflate(plain, dict));
                        assertThat(BundleCompression.inflate(frame, 0, plain.length, dict, "item " + i))
                                .isEqualTo(plain);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Text with the repetition of VM definitions: keys and values drawn from a small vocabulary. */
    private static byte[] text(SplittableRandom random, int length) {
        String[] words = {
            "\"metadata\":",
            "\"name\":",
            "\"spec\":{",
            "}",
            "\"cores\":",
            "virtio",
            "\"disks\":[",
            "]",
            "rootdisk",
            "cloudinitdisk",
            "harvester",
            "kubevirt.io/v1",
            ",",
            "\"memory\":\"4Gi\"",
            " "
        };
        StringBuilder b = new StringBuilder(length + 32);
        while (b.length() < length) {
            if (random.nextInt(10) == 0) {
                b.append(Long.toHexString(random.nextLong()));
            } else {
                b.append(words[random.nextInt(words.length)]);
            }
        }
        return b.substring(0, length).getBytes(StandardCharsets.UTF_8);
    }
}
