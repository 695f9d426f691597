"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class User extends Model {
    static associate(models) {
      User.hasOne(models.Profile, { foreignKey: "userId", onDelete: "CASCADE" });
      User.hasMany(models.Post, { as: "posts", foreignKey: "authorId" });
      User.belongsToMany(models.Team, { through: models.Membership, foreignKey: "userId" });
    }
  }
  User.init(
    {
      email: {
        type: DataTypes.STRING(320),
        allowNull: false,
        unique: true,
        validate: { isEmail: true },
      },
      displayName: {
        type: DataTypes.STRING(80),
        allowNull: false,
        validate: { len: [1, 80] },
      },
      role: {
        type: DataTypes.ENUM("reader", "author", "admin"),
        allowNull: false,
        defaultValue: "reader",
      },
      isActive: {
        type: DataTypes.BOOLEAN,
        allowNull: false,
        defaultValue: true,
      },
      publicId: {
        type: DataTypes.UUID,
        allowNull: false,
        defaultValue: DataTypes.UUIDV4,
      },
      lastSeenAt: DataTypes.DATE,
    },
    {
      sequelize,
      modelName: "User",
    },
  );
  return User;
};
