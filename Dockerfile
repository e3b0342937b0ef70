# The vmconfig Velero plugin image, by Velero's convention: a tiny image whose entrypoint copies the plugin file
# into /target (the init container's mount of Velero's /plugins volume). Used by `velero plugin add`.
#
#   docker build -t REGISTRY/vmconfig-velero-plugin:TAG .
#
# Build stage: Temurin 25 (jlink + AOT cache), Maven, gcc with static glibc and zlib for the launcher.
FROM maven:3.9-eclipse-temurin-25 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY proto ./proto
COPY src ./src
COPY examples ./examples
RUN VMCONFIG_PLUGIN_JDK="$JAVA_HOME" mvn -B -q package -DskipTests \
 && test -x target/plugin/vmconfig

# A static cp, since the final image has no shell and no libc.
FROM busybox:1.36-musl AS busybox

FROM scratch
COPY --from=busybox /bin/cp /bin/cp
COPY --from=build /src/target/plugin/vmconfig /plugins/vmconfig
USER 65532:65532
ENTRYPOINT ["cp", "/plugins/vmconfig", "/target/."]
