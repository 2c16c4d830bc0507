package io.testbed.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPathFilterTest {

    private MockHttpServletResponse get(String contextPath, String uri) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setContextPath(contextPath);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new ErrorPathFilter().doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(299); // passed on: the marker of "not answered here"
        }
        return response;
    }

    @Test
    void errorAskedForDirectly_is404ProblemDetails() throws Exception {
        for (String uri : new String[]{"/error", "/error/", "/error/x", "/error;jsessionid=1"}) {
            MockHttpServletResponse response = get("", uri);
            assertThat(response.getStatus()).as(uri).isEqualTo(404);
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getContentAsString()).contains("\"status\":404").contains("internal error page");
        }
    }

    @Test
    void otherPaths_underAContextPath_too_passOn() throws Exception {
        assertThat(get("", "/errors").getStatus()).isEqualTo(299);
        assertThat(get("", "/api/error").getStatus()).isEqualTo(299);
        assertThat(get("/ctx", "/ctx/error").getStatus()).isEqualTo(404);
        assertThat(get("/ctx", "/ctx/api").getStatus()).isEqualTo(299);
    }
}
