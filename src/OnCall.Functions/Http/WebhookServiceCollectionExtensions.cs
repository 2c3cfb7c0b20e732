namespace OnCall.Functions.Http;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The webhooks' own authentication (per-source secrets from <c>OnCall:WebhookSecrets</c>).</summary>
    public static IServiceCollection AddOnCallWebhooks(this IServiceCollection services) => services.AddSingleton<WebhookAuth>();
}
