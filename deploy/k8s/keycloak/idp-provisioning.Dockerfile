# The provisioning CLI image for the Job in provisioning-job.yaml, built from the repository root:
#   docker build -f deploy/k8s/keycloak/idp-provisioning.Dockerfile -t mcp-idp-kit/idp-provisioning:0.1.0 .
# (Not built here: this machine has no Docker engine.)
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -DskipTests -pl idp-provisioning -am package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 provisioning
WORKDIR /app
COPY --from=build /src/idp-provisioning/target/idp-provisioning-0.1.0-SNAPSHOT.jar ./idp-provisioning.jar
COPY --from=build /src/idp-provisioning/target/lib ./lib
USER 10001
# Credentials come from the environment (the Job's Secrets), never from arguments.
ENTRYPOINT ["java", "-jar", "/app/idp-provisioning.jar"]
