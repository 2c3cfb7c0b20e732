// The integration secrets. Access is by Azure RBAC: the app reads secrets (Key Vault Secrets User, granted in
// roles.bicep); whoever sets them needs Key Vault Secrets Officer, granted here when a principal is given.

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
