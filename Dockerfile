# The MCP server image for docker-compose.yml: built from this repository with the Maven Wrapper, run on a JRE.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -DskipTests -pl helidon-mcp-server -am package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 mcp
WORKDIR /app
COPY --from=build /src/helidon-mcp-server/target/helidon-mcp-server.jar ./
COPY --from=build /src/helidon-mcp-server/target/libs ./libs
USER mcp
EXPOSE 8080
# Configuration comes from the environment (see docs/configuration.md); secrets never go into the image.
ENTRYPOINT ["java", "-jar", "/app/helidon-mcp-server.jar"]
