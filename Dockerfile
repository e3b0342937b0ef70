# Two images from one build. The default (last) target is the vmconfig Velero plugin image, by Velero's
# convention: a tiny image whose entrypoint copies the plugin file into /target (the init container's mount of
# Velero's /plugins volume). Used by `velero plugin add`. The `cli` target runs the CLI and the sync controller.
#
#   docker build -t REGISTRY/vmconfig-velero-plugin:TAG .
#
# Build stage: Temurin 25 (jlink + AOT cache), Maven, gcc with static glibc and libzstd for the launcher, zstd for its payload.
FROM maven:3.9-eclipse-temurin-25 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libzstd-dev zstd \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY vmconfig ./vmconfig
# only the product module is built: the drill and its embedded servers never enter an image
RUN VMCONFIG_PLUGIN_JDK="$JAVA_HOME" mvn -B -q -pl vmconfig package -DskipTests \
 && test -x vmconfig/target/plugin/vmconfig

# The CLI and the sync controller (deploy/dr, deploy/source): `docker build --target cli -t REGISTRY/vmconfig:TAG .`
FROM eclipse-temurin:17-jre AS cli
COPY --from=build /src/vmconfig/target/vmconfig.jar /opt/vmconfig/vmconfig.jar
USER 65532:65532
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/vmconfig/vmconfig.jar"]

# A static cp, since the final image has no shell and no libc.
FROM busybox:1.36-musl AS busybox

FROM scratch
COPY --from=busybox /bin/cp /bin/cp
COPY --from=build /src/vmconfig/target/plugin/vmconfig /plugins/vmconfig
USER 65532:65532
ENTRYPOINT ["cp", "/plugins/vmconfig", "/target/."]
