// The dev environment. Deploy with (docs/deploy.md):
//   export ONCALL_VAULT_OFFICER=$(az ad signed-in-user show --query id -o tsv)
//   az deployment group create --resource-group rg-oncall-dev --template-file infra/main.bicep --parameters infra/main.dev.bicepparam
using 'main.bicep'

param environmentName = 'dev'

param storagePrefix = 'oncall'

// Whoever runs the deployment may then set the Key Vault secrets.
param vaultOfficerPrincipalId = readEnvironmentVariable('ONCALL_VAULT_OFFICER', '')

param maximumInstanceCount = 40

param instanceMemoryMB = 2048

param logRetentionInDays = 30
