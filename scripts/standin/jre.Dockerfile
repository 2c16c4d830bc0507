# LOCAL STAND-IN for `eclipse-temurin:17-jre-jammy`, for machines without registry access only
# (scripts/compose-standin-images.sh builds it; docs/DEPLOYMENT.md). Debian 12's OpenJDK 17 JRE, bash and
# the passwd tools: what the services' runtime stage uses (groupadd/useradd, java, bash for the healthcheck).
FROM testbed-standin/debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates bash passwd \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 LANG=C.UTF-8
LABEL io.testbed.standin="eclipse-temurin:17-jre-jammy, from Debian 12 openjdk-17-jre-headless"
