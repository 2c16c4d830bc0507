# LOCAL STAND-IN for `maven:3.9-eclipse-temurin-17`, for machines without registry access only
# (scripts/compose-standin-images.sh builds it; docs/DEPLOYMENT.md). Debian 12's OpenJDK 17 JDK and
# Maven 3.9.11 from Maven Central (the version .mvn/wrapper pins), checked against its SHA-512.
FROM testbed-standin/debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jdk-headless ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
# the host's own CA certificates (/usr/local/share/ca-certificates, copied by the script; empty when it has
# none): where outbound TLS goes through an intercepting egress proxy, Maven inside the build needs them
COPY local-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
ARG MAVEN_VERSION=3.9.11
ARG MAVEN_SHA512=bcfe4fe305c962ace56ac7b5fc7a08b87d5abd8b7e89027ab251069faebee516b0ded8961445d6d91ec1985dfe30f8153268843c89aa392733d1a3ec956c9978
COPY apache-maven-${MAVEN_VERSION}-bin.tar.gz /tmp/maven.tar.gz
RUN echo "${MAVEN_SHA512}  /tmp/maven.tar.gz" | sha512sum -c - \
    && tar -xzf /tmp/maven.tar.gz -C /opt && rm /tmp/maven.tar.gz \
    && ln -s /opt/apache-maven-${MAVEN_VERSION}/bin/mvn /usr/bin/mvn
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 MAVEN_HOME=/opt/apache-maven-${MAVEN_VERSION} \
    MAVEN_CONFIG=/root/.m2 LANG=C.UTF-8
LABEL io.testbed.standin="maven:3.9-eclipse-temurin-17, from Debian 12 openjdk-17-jdk-headless and Maven ${MAVEN_VERSION}"
