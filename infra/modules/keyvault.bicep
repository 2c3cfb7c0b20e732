// The app's keys and integration secrets. Access is by Azure RBAC: the app reads secrets (Key Vault Secrets User,
// granted in roles.bicep); whoever sets them needs Key Vault Secrets Officer, granted here when a principal is given.
// The template itself writes the secrets in initialSecrets, once.

import { tagSet } from 'types.bicep'

@description('Azure region.')
param location string

@description('Vault name, unique in Azure (3 to 24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

param tags tagSet

@description('Object id of the user or group that sets the secrets; empty grants nobody.')
param vaultOfficerPrincipalId string

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param vaultOfficerPrincipalType string

@description('Secrets to create while they do not exist, secret name to value; a secret already in the vault is left alone.')
@secure()
param initialSecrets {
  *: string
}

// Built-in role: Key Vault Secrets Officer.
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// Written once: a secret already in the vault (from an earlier deployment, or set or rotated by hand) is not touched,
// so deploying again keeps the keys callers already hold.
@onlyIfNotExists()
resource initial 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in items(initialSecrets): {
    parent: vault
    name: secret.key
    properties: {
      value: secret.value
    }
  }
]

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(vaultOfficerPrincipalId)) {
  name: guid(vault.id, vaultOfficerPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: vaultOfficerPrincipalId
    principalType: vaultOfficerPrincipalType
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
