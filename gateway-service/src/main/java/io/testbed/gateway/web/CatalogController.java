package io.testbed.gateway.web;

import io.swagger.v3.oas.annotations.Operation;
import io.testbed.gateway.git.GitServerClient;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** Pass-through lists from the git server and the kernels. */
@RestController
@RequestMapping("/api")
public class CatalogController {

    private final GitServerClient git;
    private final MachineAdminClient machines;

    public CatalogController(GitServerClient git, MachineAdminClient machines) {
        this.git = git;
        this.machines = machines;
    }

    @Operation(summary = "The git server's repositories, as it lists them")
    @GetMapping("/repos")
    public JsonNode repos() {
        return git.repos();
    }

    @Operation(summary = "The machines of every configured kernel")
    @GetMapping("/machines")
    public List<MachineInfo> machines() {
        return machines.list();
    }
}
