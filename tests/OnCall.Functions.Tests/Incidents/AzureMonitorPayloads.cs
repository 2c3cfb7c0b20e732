using System.Text.Json.Nodes;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Azure Monitor's common alert schema, as an action group posts it (the documented sample, shortened).</summary>
internal static class AzureMonitorPayloads
{
    public static JsonObject Fired(string condition = "Fired", string severity = "Sev1") => JsonNode.Parse($$"""
        {
          "schemaId": "azureMonitorCommonAlertSchema",
          "data": {
            "essentials": {
              "alertId": "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/b9569717-bc32-442f-add5-83a997729330",
              "alertRule": "api-5xx-rate",
              "severity": "{{severity}}",
              "signalType": "Metric",
              "monitorCondition": "{{condition}}",
              "monitoringService": "Platform",
              "alertTargetIDs": ["/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-api/providers/microsoft.web/sites/api"],
              "configurationItems": ["api"],
              "originAlertId": "11111111-1111-1111-1111-111111111111_rg-api_microsoft.insights_metricAlerts_api-5xx-rate_1234567",
              "firedDateTime": "2026-11-12T11:58:24.3713213Z",
              "description": "5xx above 5% for 5 minutes",
              "essentialsVersion": "1.0",
              "alertContextVersion": "1.0"
            },
            "alertContext": {},
            "customProperties": {"team": "platform"}
          }
        }
        """)!.AsObject();
}
